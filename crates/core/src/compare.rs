//! Two package lists compared: what the second adds, removes and changes the version of.
//!
//! Packages are matched by [`PackageKey`]: the package URL without version and qualifiers
//! (`pkg:deb/debian/openssl`, see [`Purl::versionless`]), or, for a package without a parseable
//! purl, its name. A key present on both sides with the same version is unchanged, with another
//! version changed; a key on one side only is added or removed.
//!
//! Several packages can share a key (two versions of one npm package in different
//! `node_modules`, a library installed for two architectures, an OS and a library of one name).
//! They are paired first within each variant — the same [`Package::kind`] and the same `arch`
//! qualifier of the purl, absent counting as a value of its own: the same version is unchanged
//! (the identical purl first), then the other versions are paired as changes in version order,
//! lowest with lowest. What is left over across variants is paired the same way, and what is
//! still left is added or removed. Versions are ordered naturally (`1.9` before `1.10`, see
//! [`compare_versions`]); that is a pairing order, not a claim about which version is newer.
//!
//! The kind is a preference and not part of the key because it is not comparable across formats
//! for packages without purl: Trivy's SPDX 2.2 gives its OS package no kind where its CycloneDX
//! says `operating-system`, and CycloneDX calls every library `library` where SPDX 2.2 says
//! nothing. With the name as the key, the same SBOM in two formats compares as unchanged.
//!
//! Each list is first reduced to one entry per package, as the readers do (same purl, or same
//! kind, name and version). The result is sorted by key, then version, and is the same for the
//! same input whatever the order of the lists.

use crate::sbom::purl::Purl;
use crate::sbom::{Package, dedupe};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// Which package a [`Package`] is, at any version.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(untagged)]
pub enum PackageKey {
    /// `pkg:type/namespace/name[#subpath]`, from a purl that parses.
    Purl(String),
    /// The name of a package without a parseable purl.
    Named(String),
}

impl PackageKey {
    /// The key of a package.
    pub fn of(package: &Package) -> PackageKey {
        match package.purl.as_deref().and_then(Purl::parse) {
            Some(purl) => PackageKey::Purl(purl.versionless()),
            None => PackageKey::Named(package.name.clone()),
        }
    }
}

impl fmt::Display for PackageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageKey::Purl(key) => f.write_str(key),
            PackageKey::Named(name) => f.write_str(name),
        }
    }
}

/// A package found on both sides with another version.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changed {
    /// The package in the first list.
    pub from: Package,
    /// The package in the second list.
    pub to: Package,
}

/// What changed from one package list to another.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct PackageDiff {
    /// In the second list only.
    pub added: Vec<Package>,
    /// In the first list only.
    pub removed: Vec<Package>,
    /// On both sides, with different versions.
    pub changed: Vec<Changed>,
    /// How many packages are on both sides with the same version.
    pub unchanged: usize,
}

impl PackageDiff {
    /// Whether nothing was added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Compares two package lists (see the module docs). Sorted and deterministic.
pub fn diff_packages(from: &[Package], to: &[Package]) -> PackageDiff {
    let mut from = group(from);
    let mut to = group(to);
    let keys: BTreeSet<PackageKey> = from.keys().chain(to.keys()).cloned().collect();
    let mut diff = PackageDiff::default();
    for key in keys {
        let old = from.remove(&key).unwrap_or_default();
        let new = to.remove(&key).unwrap_or_default();
        pair(old, new, &mut diff);
    }
    diff
}

/// The packages of a list by key, once per package.
fn group(packages: &[Package]) -> BTreeMap<PackageKey, Vec<Package>> {
    let mut groups: BTreeMap<PackageKey, Vec<Package>> = BTreeMap::new();
    // Sorted first, so that which of two entries with one purl is kept does not depend on order.
    let mut packages = packages.to_vec();
    packages.sort();
    for p in dedupe(packages) {
        groups.entry(PackageKey::of(&p)).or_default().push(p);
    }
    groups
}

fn by_version(a: &Package, b: &Package) -> Ordering {
    compare_versions(a.version.as_deref(), b.version.as_deref()).then_with(|| a.cmp(b))
}

/// Which variant of a package: its kind and the `arch` qualifier of its purl.
type Variant = (Option<String>, Option<String>);

fn variant(p: &Package) -> Variant {
    let arch = p
        .purl
        .as_deref()
        .and_then(Purl::parse)
        .and_then(|purl| purl.qualifier("arch").map(str::to_owned));
    (p.kind.clone(), arch)
}

fn by_variant(packages: Vec<Package>) -> BTreeMap<Variant, Vec<Package>> {
    let mut groups: BTreeMap<Variant, Vec<Package>> = BTreeMap::new();
    for p in packages {
        groups.entry(variant(&p)).or_default().push(p);
    }
    groups
}

/// Pairs the packages of one key and records the outcome: first within each variant, then what
/// is left across variants.
fn pair(old: Vec<Package>, new: Vec<Package>, diff: &mut PackageDiff) {
    let mut changed = Vec::new();
    let (mut old_left, mut new_left) = (Vec::new(), Vec::new());
    let mut new_by_variant = by_variant(new);
    for (variant, olds) in by_variant(old) {
        let news = new_by_variant.remove(&variant).unwrap_or_default();
        let (olds, news) = match_versions(olds, news, diff);
        let (rest_old, rest_new) = zip(olds, news, &mut changed);
        old_left.extend(rest_old);
        new_left.extend(rest_new);
    }
    new_left.extend(new_by_variant.into_values().flatten());
    let (olds, news) = match_versions(old_left, new_left, diff);
    let (removed, added) = zip(olds, news, &mut changed);
    changed.sort_by(|a, b| by_version(&a.from, &b.from).then_with(|| by_version(&a.to, &b.to)));
    diff.changed.extend(changed);
    diff.removed.extend(removed);
    diff.added.extend(added);
}

/// Counts packages with the same version on both sides as unchanged (the same purl first);
/// returns the rest of each side, sorted by version.
fn match_versions(
    old: Vec<Package>,
    new: Vec<Package>,
    diff: &mut PackageDiff,
) -> (Vec<Package>, Vec<Package>) {
    let mut new: Vec<Option<Package>> = new.into_iter().map(Some).collect();
    let mut rest = Vec::new();
    for o in old {
        let exact = new.iter().position(|n| {
            n.as_ref()
                .is_some_and(|n| n.version == o.version && n.purl == o.purl)
        });
        let hit = exact.or_else(|| {
            new.iter()
                .position(|n| n.as_ref().is_some_and(|n| n.version == o.version))
        });
        match hit.and_then(|i| new.get_mut(i)) {
            Some(slot) => {
                *slot = None;
                diff.unchanged += 1;
            }
            None => rest.push(o),
        }
    }
    let mut new: Vec<Package> = new.into_iter().flatten().collect();
    rest.sort_by(by_version);
    new.sort_by(by_version);
    (rest, new)
}

/// Pairs the two sides in version order as changes; returns what one side has more.
fn zip(
    old: Vec<Package>,
    new: Vec<Package>,
    changed: &mut Vec<Changed>,
) -> (Vec<Package>, Vec<Package>) {
    let (mut old, mut new) = (old.into_iter(), new.into_iter());
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    loop {
        match (old.next(), new.next()) {
            (Some(from), Some(to)) => changed.push(Changed { from, to }),
            (Some(from), None) => removed.push(from),
            (None, Some(to)) => added.push(to),
            (None, None) => return (removed, added),
        }
    }
}

/// Natural order of versions: runs of digits compare as numbers (`1.9` < `1.10`), everything
/// else byte by byte; no version sorts first; ties are broken by the plain text.
pub fn compare_versions(a: Option<&str>, b: Option<&str>) -> Ordering {
    let (a, b) = match (a, b) {
        (None, None) => return Ordering::Equal,
        (None, Some(_)) => return Ordering::Less,
        (Some(_), None) => return Ordering::Greater,
        (Some(a), Some(b)) => (a, b),
    };
    let (mut x, mut y) = (a.as_bytes(), b.as_bytes());
    loop {
        match (x.first(), y.first()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c.is_ascii_digit() && d.is_ascii_digit() => {
                let (m, rest_x) = digits(x);
                let (n, rest_y) = digits(y);
                let order = m.len().cmp(&n.len()).then_with(|| m.cmp(n));
                if order != Ordering::Equal {
                    return order;
                }
                (x, y) = (rest_x, rest_y);
            }
            (Some(c), Some(d)) => {
                if c != d {
                    return c.cmp(d);
                }
                x = x.get(1..).unwrap_or_default();
                y = y.get(1..).unwrap_or_default();
            }
        }
    }
}

/// A leading run of digits without its leading zeros, and what follows it.
fn digits(s: &[u8]) -> (&[u8], &[u8]) {
    let end = s
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let (run, rest) = s.split_at(end);
    let start = run.iter().position(|&b| b != b'0').unwrap_or(run.len());
    (run.get(start..).unwrap_or_default(), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(name: &str, version: Option<&str>, purl: Option<&str>) -> Package {
        crate::sbom::package(
            name.to_owned(),
            version.map(str::to_owned),
            purl.map(str::to_owned),
            Some("library".into()),
        )
    }

    fn deb(name: &str, version: &str) -> Package {
        pkg(
            name,
            Some(version),
            Some(&format!(
                "pkg:deb/debian/{name}@{version}?arch=amd64&distro=debian-12"
            )),
        )
    }

    fn versions(ps: &[Package]) -> Vec<(String, Option<String>)> {
        ps.iter()
            .map(|p| (p.name.clone(), p.version.clone()))
            .collect()
    }

    fn changes(d: &PackageDiff) -> Vec<(String, Option<String>, Option<String>)> {
        d.changed
            .iter()
            .map(|c| {
                (
                    c.to.name.clone(),
                    c.from.version.clone(),
                    c.to.version.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn version_change_add_remove_and_unchanged() {
        let from = [
            deb("bash", "5.2.15-2"),
            deb("openssl", "3.0.13-1"),
            deb("curl", "7.88.1-10"),
        ];
        let to = [
            deb("bash", "5.2.15-2"),
            deb("openssl", "3.0.15-1"),
            deb("zlib1g", "1.2.13"),
        ];
        let d = diff_packages(&from, &to);
        assert_eq!(d.unchanged, 1);
        assert_eq!(
            changes(&d),
            [(
                "openssl".into(),
                Some("3.0.13-1".into()),
                Some("3.0.15-1".into())
            )]
        );
        assert_eq!(
            versions(&d.added),
            [("zlib1g".into(), Some("1.2.13".into()))]
        );
        assert_eq!(
            versions(&d.removed),
            [("curl".into(), Some("7.88.1-10".into()))]
        );
        assert!(!d.is_empty());
    }

    #[test]
    fn same_lists_have_no_difference() {
        let list = [deb("bash", "5.2"), pkg("alpine", Some("3.20"), None)];
        let d = diff_packages(&list, &list);
        assert!(d.is_empty());
        assert_eq!(d.unchanged, 2);
        assert_eq!(diff_packages(&[], &[]), PackageDiff::default());
    }

    #[test]
    fn qualifiers_other_than_the_version_do_not_matter() {
        let from = [pkg(
            "musl",
            Some("1.2.5-r0"),
            Some("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.2"),
        )];
        let to = [pkg(
            "musl",
            Some("1.2.5-r0"),
            Some("pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3"),
        )];
        let d = diff_packages(&from, &to);
        assert!(d.is_empty());
        assert_eq!(d.unchanged, 1);
    }

    #[test]
    fn duplicates_are_counted_once() {
        let from = [
            deb("bash", "5.2"),
            deb("bash", "5.2"),
            pkg("x", Some("1"), None),
            pkg("x", Some("1"), None),
        ];
        let to = [deb("bash", "5.3"), pkg("x", Some("1"), None)];
        let d = diff_packages(&from, &to);
        assert_eq!(d.unchanged, 1);
        assert_eq!(
            changes(&d),
            [("bash".into(), Some("5.2".into()), Some("5.3".into()))]
        );
        assert!(d.added.is_empty() && d.removed.is_empty());
    }

    #[test]
    fn purl_without_version_matches_by_name() {
        // The version comes from the version field; the purl has none.
        let from = [pkg("left-pad", Some("1.0.0"), Some("pkg:npm/left-pad"))];
        let to = [pkg(
            "left-pad",
            Some("1.3.0"),
            Some("pkg:npm/left-pad@1.3.0"),
        )];
        let d = diff_packages(&from, &to);
        assert_eq!(
            changes(&d),
            [(
                "left-pad".into(),
                Some("1.0.0".into()),
                Some("1.3.0".into())
            )]
        );
        // No version anywhere on one side: a change from "no version".
        let d = diff_packages(
            &[pkg("a", None, Some("pkg:npm/a"))],
            &[pkg("a", Some("2"), Some("pkg:npm/a@2"))],
        );
        assert_eq!(changes(&d), [("a".into(), None, Some("2".into()))]);
    }

    #[test]
    fn packages_without_purl_match_by_name() {
        let from = [pkg("debian", Some("12.6"), None), pkg("app", None, None)];
        let to = [pkg("debian", Some("12.7"), None), pkg("app", None, None)];
        let d = diff_packages(&from, &to);
        assert_eq!(
            changes(&d),
            [("debian".into(), Some("12.6".into()), Some("12.7".into()))]
        );
        assert_eq!(d.unchanged, 1);
        // The kind is a preference: with an OS and a library of one name on both sides, each
        // pairs with its own kind.
        let os = |v: &str| Package {
            kind: Some("operating-system".into()),
            ..pkg("alpine", Some(v), None)
        };
        let lib = |v: &str| pkg("alpine", Some(v), None);
        let d = diff_packages(&[os("3.19.1"), lib("2.0")], &[lib("2.1"), os("3.20.3")]);
        let kinds: Vec<_> = d
            .changed
            .iter()
            .map(|c| (c.from.kind.clone(), c.to.kind.clone()))
            .collect();
        assert_eq!(
            kinds,
            [
                (Some("library".into()), Some("library".into())),
                (
                    Some("operating-system".into()),
                    Some("operating-system".into())
                )
            ]
        );
        // Without a counterpart of its kind, it pairs with the other: the same OS read from a
        // format that gives it no kind.
        let mut no_kind = os("3.19.1");
        no_kind.kind = None;
        let d = diff_packages(&[no_kind], &[os("3.19.1")]);
        assert!(d.is_empty());
        assert_eq!(d.unchanged, 1);
        // A malformed purl falls back to the name.
        let d = diff_packages(
            &[pkg("p", Some("1"), Some("a-purl-1"))],
            &[pkg("p", Some("2"), Some("a-purl-2"))],
        );
        assert_eq!(
            changes(&d),
            [("p".into(), Some("1".into()), Some("2".into()))]
        );
    }

    #[test]
    fn several_versions_of_one_package() {
        let npm = |v: &str| pkg("lodash", Some(v), Some(&format!("pkg:npm/lodash@{v}")));
        let from = [npm("4.17.20"), npm("4.17.9"), npm("3.10.1")];
        let to = [npm("4.17.21"), npm("3.10.1"), npm("4.17.10")];
        let d = diff_packages(&from, &to);
        assert_eq!(d.unchanged, 1);
        assert_eq!(
            changes(&d),
            [
                (
                    "lodash".into(),
                    Some("4.17.9".into()),
                    Some("4.17.10".into())
                ),
                (
                    "lodash".into(),
                    Some("4.17.20".into()),
                    Some("4.17.21".into())
                ),
            ]
        );
        let d = diff_packages(&[npm("1.0.0")], &[npm("1.0.0"), npm("2.0.0")]);
        assert_eq!(d.unchanged, 1);
        assert_eq!(
            versions(&d.added),
            [("lodash".into(), Some("2.0.0".into()))]
        );
    }

    #[test]
    fn architectures_pair_with_their_own() {
        let lib = |arch: &str, v: &str| {
            pkg(
                "libc6",
                Some(v),
                Some(&format!("pkg:deb/debian/libc6@{v}?arch={arch}")),
            )
        };
        let from = [lib("amd64", "2.36-9"), lib("i386", "2.36-8")];
        let to = [lib("i386", "2.36-9"), lib("amd64", "2.36-10")];
        let d = diff_packages(&from, &to);
        assert_eq!(d.unchanged, 0);
        let pairs: Vec<_> = d
            .changed
            .iter()
            .map(|c| {
                (
                    c.from.purl.clone().unwrap_or_default(),
                    c.to.purl.clone().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            pairs,
            [
                (
                    "pkg:deb/debian/libc6@2.36-8?arch=i386".to_owned(),
                    "pkg:deb/debian/libc6@2.36-9?arch=i386".to_owned()
                ),
                (
                    "pkg:deb/debian/libc6@2.36-9?arch=amd64".to_owned(),
                    "pkg:deb/debian/libc6@2.36-10?arch=amd64".to_owned()
                ),
            ]
        );
        // Same version on both architectures: the identical purl is the unchanged one.
        let d = diff_packages(
            &[lib("amd64", "2.36"), lib("i386", "2.36")],
            &[lib("i386", "2.36"), lib("amd64", "2.37")],
        );
        assert_eq!(d.unchanged, 1);
        assert_eq!(d.changed.len(), 1);
        assert_eq!(
            d.changed[0].from.purl.as_deref(),
            Some("pkg:deb/debian/libc6@2.36?arch=amd64")
        );
    }

    #[test]
    fn output_is_sorted_and_independent_of_input_order() {
        let a = [
            deb("zlib1g", "1"),
            deb("bash", "1"),
            deb("curl", "1"),
            pkg("os", Some("1"), None),
        ];
        let b = [
            deb("curl", "2"),
            deb("apt", "1"),
            pkg("os", Some("2"), None),
            deb("bash", "2"),
        ];
        let d = diff_packages(&a, &b);
        let mut ra = a.to_vec();
        ra.reverse();
        let mut rb = b.to_vec();
        rb.reverse();
        assert_eq!(d, diff_packages(&ra, &rb));
        assert_eq!(versions(&d.added), [("apt".into(), Some("1".into()))]);
        assert_eq!(versions(&d.removed), [("zlib1g".into(), Some("1".into()))]);
        let keys: Vec<String> = d
            .changed
            .iter()
            .map(|c| PackageKey::of(&c.to).to_string())
            .collect();
        assert_eq!(keys, ["pkg:deb/debian/bash", "pkg:deb/debian/curl", "os"]);
    }

    #[test]
    fn natural_version_order() {
        let cmp = |a: &str, b: &str| compare_versions(Some(a), Some(b));
        assert_eq!(cmp("1.9", "1.10"), Ordering::Less);
        assert_eq!(cmp("1.10", "1.9"), Ordering::Greater);
        assert_eq!(cmp("1.01", "1.1"), Ordering::Less, "ties broken by text");
        assert_eq!(cmp("1.0", "1.0"), Ordering::Equal);
        assert_eq!(cmp("1.0", "1.0-r1"), Ordering::Less);
        assert_eq!(cmp("", "0"), Ordering::Less);
        assert_eq!(compare_versions(None, Some("0")), Ordering::Less);
        assert_eq!(
            cmp("99999999999999999999999", "100000000000000000000000"),
            Ordering::Less
        );
    }
}
