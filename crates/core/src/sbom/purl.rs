//! Package URLs (`pkg:type/namespace/name@version?qualifiers#subpath`), parsed just far enough to
//! say which package a purl names, whatever its version.
//!
//! The parser follows the purl specification's "how to parse" steps (split `#subpath` and
//! `?qualifiers` from the right, the type up to the first `/`, `@version` from the right of the
//! last segment) and percent-decodes each component. It is lenient where real SBOMs are sloppy —
//! `pkg://`, an unencoded `@` in an npm scope, stray slashes — and returns `None` instead of
//! guessing when there is no `pkg:` scheme, no type or no name. It never panics.
//!
//! [`Purl::versionless`] is the identity used to match a package across two SBOMs:
//! `pkg:type/namespace/name`, plus `#subpath` when there is one. Version and qualifiers are left
//! out: qualifiers such as `distro=alpine-3.20.3` or `epoch=1` change with the version, and
//! `arch` is left out so that an SBOM of one platform still lines up with another's. The type is
//! lowercased, and the few types the purl specification declares case-insensitive are folded:
//! `pypi` (lowercase, `_` as `-`), `github`, `bitbucket` and `composer` (lowercase).

/// A parsed package URL. Every component is percent-decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purl {
    /// The package type, lowercased: `deb`, `npm`, `maven`.
    pub ty: String,
    /// Namespace segments joined by `/`: `debian`, `org.apache.commons`, `@angular`.
    pub namespace: Option<String>,
    /// The package name.
    pub name: String,
    /// The version, when the purl has one.
    pub version: Option<String>,
    /// Qualifiers in the order given, keys lowercased.
    pub qualifiers: Vec<(String, String)>,
    /// Subpath segments joined by `/`.
    pub subpath: Option<String>,
}

impl Purl {
    /// Parses a package URL; `None` when it has no `pkg:` scheme, type or name.
    pub fn parse(input: &str) -> Option<Purl> {
        let (scheme, rest) = input.trim().split_once(':')?;
        if !scheme.eq_ignore_ascii_case("pkg") {
            return None;
        }
        let rest = rest.trim_start_matches('/');
        let (rest, subpath) = match rest.rsplit_once('#') {
            Some((rest, sub)) => (rest, segments(sub)),
            None => (rest, None),
        };
        let (rest, qualifiers) = match rest.rsplit_once('?') {
            Some((rest, q)) => (rest, parse_qualifiers(q)),
            None => (rest, Vec::new()),
        };
        let (ty, rest) = rest.split_once('/')?;
        if !valid_type(ty) {
            return None;
        }
        let rest = rest.trim_matches('/');
        let (path, last) = match rest.rsplit_once('/') {
            Some((path, last)) => (path, last),
            None => ("", rest),
        };
        // `@` splits the version off the last segment only; at its start it is an npm scope.
        let (name, version) = match last.rfind('@') {
            Some(at) if at > 0 => (last.get(..at)?, last.get(at + 1..).map(decode)),
            _ => (last, None),
        };
        let name = decode(name);
        if name.is_empty() {
            return None;
        }
        Some(Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: segments(path),
            name,
            version: version.filter(|v| !v.is_empty()),
            qualifiers,
            subpath,
        })
    }

    /// The value of a qualifier (`arch`, `distro`), by its lowercase key.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// `pkg:type/namespace/name[#subpath]`: which package, at any version (see the module docs).
    pub fn versionless(&self) -> String {
        let fold = |s: &str| match self.ty.as_str() {
            "pypi" => s.to_lowercase().replace('_', "-"),
            "github" | "bitbucket" | "composer" => s.to_lowercase(),
            _ => s.to_owned(),
        };
        let mut key = format!("pkg:{}/", self.ty);
        if let Some(ns) = &self.namespace {
            key.push_str(&fold(ns));
            key.push('/');
        }
        key.push_str(&fold(&self.name));
        if let Some(sub) = &self.subpath {
            key.push('#');
            key.push_str(sub);
        }
        key
    }
}

/// A type is ASCII letters, digits, `.`, `+` and `-`, and does not start with a digit.
fn valid_type(ty: &str) -> bool {
    ty.bytes().next().is_some_and(|b| !b.is_ascii_digit())
        && ty
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'+' | b'-'))
}

/// Percent-decoded, non-empty `/`-separated segments, joined by `/`.
fn segments(path: &str) -> Option<String> {
    let parts: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty() && *s != "." && *s != "..")
        .map(decode)
        .collect();
    (!parts.is_empty()).then(|| parts.join("/"))
}

fn parse_qualifiers(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            let v = decode(v);
            (!k.is_empty() && !v.is_empty()).then(|| (k.to_ascii_lowercase(), v))
        })
        .collect()
}

/// Decodes `%XX` escapes; a `%` not followed by two hex digits is kept as is, and bytes that do
/// not form UTF-8 become U+FFFD.
pub fn decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let (Some(hi), Some(lo)) = (
                bytes.get(i + 1).and_then(|c| hex(*c)),
                bytes.get(i + 2).and_then(|c| hex(*c)),
            )
        {
            out.push(hi << 4 | lo);
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Option<String> {
        Purl::parse(s).map(|p| p.versionless())
    }

    #[test]
    fn splits_all_components() {
        let p = Purl::parse(
            "pkg:rpm/centos/openssl-libs@1.0.2k-16.el7?arch=x86_64&epoch=1&distro=centos-7.6.1810",
        )
        .expect("parses");
        assert_eq!(p.ty, "rpm");
        assert_eq!(p.namespace.as_deref(), Some("centos"));
        assert_eq!(p.name, "openssl-libs");
        assert_eq!(p.version.as_deref(), Some("1.0.2k-16.el7"));
        assert_eq!(p.qualifier("epoch"), Some("1"));
        assert_eq!(p.qualifier("distro"), Some("centos-7.6.1810"));
        assert_eq!(p.subpath, None);
        assert_eq!(p.versionless(), "pkg:rpm/centos/openssl-libs");
    }

    #[test]
    fn the_same_package_at_another_version_has_the_same_key() {
        assert_eq!(
            key("pkg:apk/alpine/busybox@1.30.1-r5?arch=x86_64&distro=alpine-3.10.9"),
            key("pkg:apk/alpine/busybox@1.36.1-r2?arch=aarch64&distro=alpine-3.20.3"),
        );
        assert_eq!(key("pkg:npm/lodash"), key("pkg:npm/lodash@4.17.21"));
        assert_ne!(key("pkg:npm/lodash"), key("pkg:npm/lodash-es"));
        assert_ne!(key("pkg:deb/debian/bash"), key("pkg:deb/ubuntu/bash"));
    }

    #[test]
    fn percent_encoding_is_decoded() {
        let p = Purl::parse("pkg:npm/%40angular/core@16.0.0").expect("parses");
        assert_eq!(p.namespace.as_deref(), Some("@angular"));
        assert_eq!(
            key("pkg:npm/@angular/core@16.0.0"),
            key("pkg:npm/%40angular/core")
        );
        let g = Purl::parse("pkg:golang/github.com/aymerick/raymond@v2.0.2%2Bincompatible")
            .expect("parses");
        assert_eq!(g.version.as_deref(), Some("v2.0.2+incompatible"));
        assert_eq!(g.namespace.as_deref(), Some("github.com/aymerick"));
        let k = Purl::parse("pkg:k8s/k8s.io%2Fkubernetes@1.27.0").expect("parses");
        assert_eq!(k.name, "k8s.io/kubernetes");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%ff"), "\u{fffd}");
    }

    #[test]
    fn subpath_is_part_of_the_identity() {
        let a = key("pkg:golang/google.golang.org/genproto@v1#googleapis/api/annotations");
        assert_eq!(
            a.as_deref(),
            Some("pkg:golang/google.golang.org/genproto#googleapis/api/annotations")
        );
        assert_ne!(a, key("pkg:golang/google.golang.org/genproto@v1"));
    }

    #[test]
    fn case_insensitive_types_are_folded() {
        assert_eq!(key("pkg:pypi/Django_Rest@1"), key("pkg:PyPI/django-rest@2"));
        assert_eq!(
            key("pkg:github/Package-URL/purl-spec"),
            key("pkg:github/package-url/purl-spec")
        );
        assert_ne!(
            key("pkg:golang/github.com/Masterminds/semver"),
            key("pkg:golang/github.com/masterminds/semver")
        );
    }

    #[test]
    fn lenient_forms() {
        assert_eq!(
            key("pkg://maven/org.x/y@1").as_deref(),
            Some("pkg:maven/org.x/y")
        );
        assert_eq!(key(" pkg:npm/a/ ").as_deref(), Some("pkg:npm/a"));
        assert_eq!(key("pkg:npm/@scope").as_deref(), Some("pkg:npm/@scope"));
        assert_eq!(Purl::parse("pkg:npm/a@").and_then(|p| p.version), None);
    }

    #[test]
    fn malformed_purls_are_none_and_never_panic() {
        for bad in [
            "",
            "pkg",
            "pkg:",
            "pkg:/",
            "pkg:npm",
            "pkg:npm/",
            "pkg:npm/@1.0",
            "a-purl-1",
            "http://x/y",
            "pkg:1abc/name",
            "pkg:n pm/name",
            "pkg:npm/%",
            "pkg:npm/#",
            "pkg:?#@/",
            "pkg:npm/a/b/c?&&=&x#",
            "pkg:é/ü@ß",
            "pkg:npm/%e2%82",
        ] {
            let parsed = Purl::parse(bad);
            if let Some(p) = parsed {
                assert!(!p.name.is_empty(), "{bad}: {p:?}");
            }
        }
        assert_eq!(Purl::parse("a-purl-1"), None);
        assert_eq!(Purl::parse("pkg:1abc/name"), None);
    }
}
