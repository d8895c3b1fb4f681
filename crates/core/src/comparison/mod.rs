//! The result of comparing two images (or SBOMs): sizes, package counts and the package diff.
//! Hosts fill in each [`Side`] from what they fetched or read; everything derived (deltas,
//! diff) is computed here once, and the views in `report::comparison` only format it.

pub mod plan;

use crate::compare::{PackageDiff, diff_packages};
use crate::sbom::Package;
use serde::Serialize;

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    /// What the user named: an image reference (secrets masked) or an SBOM file path.
    pub label: String,
    pub digest: Option<String>,
    pub platform: Option<String>,
    /// Sum of the compressed layer sizes; `None` for an SBOM file.
    pub compressed_size: Option<u64>,
    /// `None` when no SBOM was found: the package count is unknown, not zero.
    pub packages: Option<Vec<Package>>,
    /// Why something is unknown ("no SBOM attestation found").
    pub note: Option<String>,
}

impl Side {
    pub fn package_count(&self) -> Option<usize> {
        self.packages.as_ref().map(Vec::len)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub from: Side,
    pub to: Side,
    /// Present when both sides have packages.
    pub diff: Option<PackageDiff>,
}

impl Comparison {
    pub fn new(from: Side, to: Side) -> Comparison {
        let diff = match (&from.packages, &to.packages) {
            (Some(a), Some(b)) => Some(diff_packages(a, b)),
            _ => None,
        };
        Comparison { from, to, diff }
    }

    /// `to - from` in bytes.
    pub fn size_delta(&self) -> Option<i64> {
        let from = i64::try_from(self.from.compressed_size?).ok()?;
        let to = i64::try_from(self.to.compressed_size?).ok()?;
        Some(to - from)
    }

    /// `to - from` in packages.
    pub fn package_delta(&self) -> Option<i64> {
        let from = i64::try_from(self.from.package_count()?).ok()?;
        let to = i64::try_from(self.to.package_count()?).ok()?;
        Some(to - from)
    }
}

/// Per checked Dockerfile, what its final image saves against its dev twin and changes against
/// the base revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileComparison {
    pub path: String,
    /// The final stage's image, as compared (masked).
    pub image: Option<String>,
    /// The dev twin (from) against the final image (to).
    pub twin: Option<Comparison>,
    /// The base revision's final image (from) against this one (to).
    pub base: Option<Comparison>,
    /// Why a comparison is missing (no twin in the catalog, registry error, ...).
    pub notes: Vec<String>,
}

/// Sizes as registries and the vendors' guides print them: decimal units (22 MB, 218 MB).
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64;
    let mut unit = "B";
    for u in UNITS {
        if value < 1000.0 {
            break;
        }
        value /= 1000.0;
        unit = u;
    }
    if value < 10.0 {
        format!("{value:.1} {unit}")
    } else {
        format!("{value:.0} {unit}")
    }
}

/// `+6.4 MB`, `-196 MB`, `±0 B`.
pub fn signed_size(delta: i64) -> String {
    match delta.cmp(&0) {
        std::cmp::Ordering::Equal => "±0 B".to_string(),
        std::cmp::Ordering::Greater => format!("+{}", human_size(delta.unsigned_abs())),
        std::cmp::Ordering::Less => format!("-{}", human_size(delta.unsigned_abs())),
    }
}

/// `+3`, `-50`, `±0`.
pub fn signed_count(delta: i64) -> String {
    match delta.cmp(&0) {
        std::cmp::Ordering::Equal => "±0".to_string(),
        std::cmp::Ordering::Greater => format!("+{delta}"),
        std::cmp::Ordering::Less => format!("{delta}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(name: &str, version: &str) -> Package {
        Package {
            name: name.into(),
            version: Some(version.into()),
            purl: Some(format!("pkg:apk/minimos/{name}@{version}")),
            kind: Some("apk".into()),
        }
    }

    fn side(label: &str, size: Option<u64>, packages: Option<Vec<Package>>) -> Side {
        Side {
            label: label.into(),
            digest: None,
            platform: None,
            compressed_size: size,
            packages,
            note: None,
        }
    }

    #[test]
    fn deltas_like_the_minimus_guide() {
        let dev: Vec<Package> = (0..73).map(|i| package(&format!("p{i}"), "1")).collect();
        let prod: Vec<Package> = (0..23).map(|i| package(&format!("p{i}"), "1")).collect();
        let c = Comparison::new(
            side("python:3.13.5-dev", Some(218_000_000), Some(dev)),
            side("python:3.13.5", Some(22_000_000), Some(prod)),
        );
        assert_eq!(c.size_delta(), Some(-196_000_000));
        assert_eq!(c.package_delta(), Some(-50));
        let diff = c.diff.as_ref().unwrap();
        assert_eq!(
            (diff.removed.len(), diff.added.len(), diff.unchanged),
            (50, 0, 23)
        );
        assert_eq!(signed_size(c.size_delta().unwrap()), "-196 MB");
        assert_eq!(signed_count(c.package_delta().unwrap()), "-50");
    }

    #[test]
    fn unknown_packages_stay_unknown() {
        let c = Comparison::new(side("a", Some(10), None), side("b", Some(5), Some(vec![])));
        assert_eq!(c.package_delta(), None);
        assert!(c.diff.is_none());
        assert_eq!(c.size_delta(), Some(-5));
    }

    #[test]
    fn sizes() {
        assert_eq!(human_size(999), "999 B");
        assert_eq!(human_size(6_400_000), "6.4 MB");
        assert_eq!(human_size(22_000_000), "22 MB");
        assert_eq!(human_size(218_400_000), "218 MB");
        assert_eq!(human_size(1_500_000_000), "1.5 GB");
        assert_eq!(signed_size(0), "±0 B");
        assert_eq!(signed_size(6_400_000), "+6.4 MB");
    }
}
