//! Choosing a platform's image from an index, by containerd's matching rules.
//!
//! Both the wanted platform and each entry's are normalised first, as containerd's
//! `platforms.Normalize` does: names are lowercased; `x86_64`/`x86-64` are `amd64`, `aarch64` is
//! `arm64`, `i386` is `386`, `armhf` is `arm/v7` and `armel` is `arm/v6`; `arm64` without a
//! variant is `arm64/v8` (so `linux/arm64` and `linux/arm64/v8` are the same), `arm` without one
//! is `arm/v7`, and `amd64` without one is `amd64/v1`.
//!
//! An entry matches when its OS and architecture equal the wanted ones and its variant is the
//! wanted one or an older one the wanted CPU also runs (`arm/v7` runs `arm/v6` and `arm/v5`
//! images, `amd64/v3` runs `amd64/v2` and `amd64`, `arm64/v9` runs `arm64/v8.x`). The exact
//! variant wins, then the newest compatible one; among equals, the first entry in the index, as
//! the image specification asks. Entries without a platform, BuildKit attestation manifests and
//! entries that are not image manifests (nested indexes, artifacts) are never chosen. Windows'
//! `os.version` and the `features` lists are not considered.

use super::OciError;
use super::document::{Descriptor, DocumentKind, Index};
use super::media_type::is_schema1;
use crate::platform::Platform;

/// A platform with the names containerd would use.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Normalized {
    os: String,
    architecture: String,
    variant: String,
}

fn normalize(p: &Platform) -> Normalized {
    let os = p.os.trim().to_ascii_lowercase();
    let arch = p.architecture.trim().to_ascii_lowercase();
    let variant = p
        .variant
        .as_deref()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (architecture, variant) = match arch.as_str() {
        "i386" => ("386".to_string(), String::new()),
        "x86_64" | "x86-64" | "amd64" => (
            "amd64".to_string(),
            if variant == "v1" {
                String::new()
            } else {
                variant
            },
        ),
        "aarch64" | "arm64" => (
            "arm64".to_string(),
            match variant.as_str() {
                "8" | "v8" | "v8.0" => String::new(),
                "9" | "9.0" | "v9.0" => "v9".to_string(),
                _ => variant,
            },
        ),
        "armhf" => ("arm".to_string(), "v7".to_string()),
        "armel" => ("arm".to_string(), "v6".to_string()),
        "arm" => (
            "arm".to_string(),
            match variant.as_str() {
                "" | "7" => "v7".to_string(),
                "5" | "6" | "8" => format!("v{variant}"),
                _ => variant,
            },
        ),
        _ => (arch, variant),
    };
    Normalized {
        os,
        architecture,
        variant,
    }
}

/// The position of a variant in its architecture's line of compatible CPUs: a CPU of a higher
/// rank runs images of every lower one. `None` for variants outside a known line.
fn variant_rank(architecture: &str, variant: &str) -> Option<u32> {
    match architecture {
        "amd64" => match variant {
            "" => Some(1),
            "v2" => Some(2),
            "v3" => Some(3),
            "v4" => Some(4),
            _ => None,
        },
        "arm" => match variant {
            "v5" => Some(5),
            "v6" => Some(6),
            "v7" => Some(7),
            "v8" => Some(8),
            _ => None,
        },
        "arm64" => {
            // "" is v8.0; "v8.N" and "v9[.N]" follow.
            if variant.is_empty() {
                return Some(80);
            }
            let rest = variant.strip_prefix('v')?;
            let (major, minor) = rest.split_once('.').unwrap_or((rest, "0"));
            let major: u32 = major.parse().ok()?;
            let minor: u32 = minor.parse().ok()?;
            if !(8..=9).contains(&major) || minor > 9 {
                return None;
            }
            Some(major * 10 + minor)
        }
        _ => None,
    }
}

/// How well an entry's platform fits the wanted one: `Some(0)` exact, larger is worse, `None`
/// does not run.
fn fit(wanted: &Normalized, entry: &Normalized) -> Option<u32> {
    if wanted.os != entry.os || wanted.architecture != entry.architecture {
        return None;
    }
    if wanted.variant == entry.variant {
        return Some(0);
    }
    let w = variant_rank(&wanted.architecture, &wanted.variant)?;
    let e = variant_rank(&entry.architecture, &entry.variant)?;
    (e < w).then(|| w - e)
}

fn is_image_manifest_type(media_type: &str) -> bool {
    media_type == DocumentKind::OciManifest.media_type()
        || media_type == DocumentKind::DockerManifest.media_type()
}

impl Index {
    /// The image manifest of this index to run on `wanted` (see the module documentation for the
    /// rules). Errors: [`OciError::NoMatchingPlatform`] listing the platforms the index has,
    /// [`OciError::Schema1`] when the matching entry is a schema 1 manifest, and
    /// [`OciError::UnsupportedMediaType`] when it is of another type.
    pub fn select_platform(&self, wanted: &Platform) -> Result<&Descriptor, OciError> {
        let want = normalize(wanted);
        let mut best: Option<(u32, &Descriptor)> = None;
        let mut unreadable: Option<&Descriptor> = None;
        for d in self.images() {
            let Some(p) = &d.platform else { continue };
            let Some(score) = fit(&want, &normalize(p)) else {
                continue;
            };
            if !is_image_manifest_type(&d.media_type) {
                unreadable.get_or_insert(d);
                continue;
            }
            if best.is_none_or(|(s, _)| score < s) {
                best = Some((score, d));
            }
        }
        if let Some((_, d)) = best {
            return Ok(d);
        }
        if let Some(d) = unreadable {
            return Err(if is_schema1(&d.media_type) {
                OciError::Schema1
            } else {
                OciError::UnsupportedMediaType(d.media_type.clone())
            });
        }
        let mut available: Vec<String> = Vec::new();
        for p in self.images().filter_map(|d| d.platform.as_ref()) {
            let s = p.to_string();
            if !available.contains(&s) {
                available.push(s);
            }
        }
        Err(OciError::NoMatchingPlatform {
            wanted: wanted.to_string(),
            available,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::{Document, Expected, parse_document};

    fn p(s: &str) -> Platform {
        let parts: Vec<&str> = s.split('/').collect();
        Platform {
            os: parts[0].to_string(),
            architecture: parts[1].to_string(),
            variant: parts.get(2).map(|v| v.to_string()),
        }
    }

    fn index(entries: &[(&str, &str)]) -> Index {
        let manifests: Vec<String> = entries
            .iter()
            .enumerate()
            .map(|(i, (platform, media_type))| {
                let pl = p(platform);
                let variant = pl
                    .variant
                    .map(|v| format!(r#","variant":"{v}""#))
                    .unwrap_or_default();
                format!(
                    r#"{{"mediaType":"{media_type}","digest":"sha256:{:064x}","size":1,"platform":{{"os":"{}","architecture":"{}"{variant}}}}}"#,
                    i, pl.os, pl.architecture
                )
            })
            .collect();
        let json = format!(
            r#"{{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[{}]}}"#,
            manifests.join(",")
        );
        match parse_document(json.as_bytes(), None, Expected::Index).unwrap() {
            Document::Index(i) => i,
            Document::Manifest(_) => unreachable!(),
        }
    }

    const OCI: &str = "application/vnd.oci.image.manifest.v1+json";

    fn chosen(idx: &Index, wanted: &str) -> Option<usize> {
        idx.select_platform(&p(wanted))
            .ok()
            .and_then(|d| idx.manifests.iter().position(|m| m.digest == d.digest))
    }

    #[test]
    fn exact_and_normalised_matches() {
        let idx = index(&[
            ("linux/amd64", OCI),
            ("linux/arm64/v8", OCI),
            ("linux/arm/v7", OCI),
            ("linux/arm/v6", OCI),
            ("windows/amd64", OCI),
        ]);
        assert_eq!(chosen(&idx, "linux/amd64"), Some(0));
        assert_eq!(chosen(&idx, "linux/x86_64"), Some(0));
        assert_eq!(chosen(&idx, "LINUX/AMD64"), Some(0));
        assert_eq!(chosen(&idx, "linux/amd64/v1"), Some(0));
        // arm64 without a variant is arm64/v8.
        assert_eq!(chosen(&idx, "linux/arm64"), Some(1));
        assert_eq!(chosen(&idx, "linux/aarch64"), Some(1));
        assert_eq!(chosen(&idx, "linux/arm64/v8"), Some(1));
        // arm without a variant is arm/v7.
        assert_eq!(chosen(&idx, "linux/arm"), Some(2));
        assert_eq!(chosen(&idx, "linux/armhf"), Some(2));
        assert_eq!(chosen(&idx, "linux/armel"), Some(3));
        assert_eq!(chosen(&idx, "windows/amd64"), Some(4));
        assert_eq!(chosen(&idx, "linux/s390x"), None);
        // The crate's own parser folds arm64/v8 too.
        let parsed = Platform::parse("linux/arm64/v8").unwrap();
        assert_eq!(
            idx.select_platform(&parsed).unwrap().digest,
            idx.manifests[1].digest
        );
    }

    #[test]
    fn entry_without_variant() {
        // An arm64 entry without a variant serves arm64/v8 requests, an arm entry without one
        // is arm/v7.
        let idx = index(&[("linux/arm64", OCI), ("linux/arm", OCI)]);
        assert_eq!(chosen(&idx, "linux/arm64/v8"), Some(0));
        assert_eq!(chosen(&idx, "linux/arm/v7"), Some(1));
        assert_eq!(chosen(&idx, "linux/arm/v8"), Some(1));
        assert_eq!(chosen(&idx, "linux/arm/v6"), None);
    }

    #[test]
    fn older_variants_are_compatible_newer_are_not() {
        let idx = index(&[("linux/arm/v5", OCI), ("linux/arm/v6", OCI)]);
        assert_eq!(chosen(&idx, "linux/arm/v7"), Some(1));
        assert_eq!(chosen(&idx, "linux/arm/v6"), Some(1));
        assert_eq!(chosen(&idx, "linux/arm/v5"), Some(0));
        let idx = index(&[
            ("linux/amd64/v3", OCI),
            ("linux/amd64", OCI),
            ("linux/amd64/v2", OCI),
        ]);
        assert_eq!(chosen(&idx, "linux/amd64"), Some(1));
        assert_eq!(chosen(&idx, "linux/amd64/v2"), Some(2));
        assert_eq!(chosen(&idx, "linux/amd64/v4"), Some(0));
        let idx = index(&[("linux/arm64/v9", OCI)]);
        assert_eq!(chosen(&idx, "linux/arm64"), None);
        let idx = index(&[("linux/arm64/v8.2", OCI), ("linux/arm64", OCI)]);
        assert_eq!(chosen(&idx, "linux/arm64/v9"), Some(0));
        assert_eq!(chosen(&idx, "linux/arm64/v8.1"), Some(1));
        // Unknown variants match only themselves.
        let idx = index(&[("linux/arm/unrecognized-present", OCI)]);
        assert_eq!(chosen(&idx, "linux/arm/v7"), None);
        assert_eq!(chosen(&idx, "linux/arm/unrecognized-present"), Some(0));
    }

    #[test]
    fn first_of_equals_wins() {
        let idx = index(&[("linux/amd64", OCI), ("linux/amd64", OCI)]);
        assert_eq!(chosen(&idx, "linux/amd64"), Some(0));
    }

    #[test]
    fn unreadable_entries() {
        let idx = index(&[(
            "linux/amd64",
            "application/vnd.docker.distribution.manifest.v1+json",
        )]);
        assert_eq!(
            idx.select_platform(&p("linux/amd64")),
            Err(OciError::Schema1)
        );
        let idx = index(&[("linux/amd64", "application/vnd.oci.image.index.v1+json")]);
        assert!(matches!(
            idx.select_platform(&p("linux/amd64")),
            Err(OciError::UnsupportedMediaType(_))
        ));
        // A readable entry is preferred to an unreadable one.
        let idx = index(&[
            ("linux/amd64", "application/customized.manifest+json"),
            (
                "linux/amd64",
                "application/vnd.docker.distribution.manifest.v2+json",
            ),
        ]);
        assert_eq!(chosen(&idx, "linux/amd64"), Some(1));
    }

    #[test]
    fn no_match_lists_what_there_is() {
        let idx = index(&[
            ("linux/amd64", OCI),
            ("linux/arm64/v8", OCI),
            ("linux/amd64", OCI),
        ]);
        let err = idx.select_platform(&p("linux/riscv64")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no image for linux/riscv64 in the index (it has linux/amd64, linux/arm64/v8)"
        );
        let empty = index(&[]);
        assert_eq!(
            empty
                .select_platform(&p("linux/amd64"))
                .unwrap_err()
                .to_string(),
            "no image for linux/amd64 in the index"
        );
    }
}
