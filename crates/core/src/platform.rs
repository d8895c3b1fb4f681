//! Build and target platforms (`linux/amd64`, `linux/arm64/v8`) and the automatic platform ARGs
//! BuildKit defines from them.

use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Platform {
    pub os: String,
    pub architecture: String,
    pub variant: Option<String>,
}

impl Platform {
    pub fn linux_amd64() -> Self {
        Platform {
            os: "linux".into(),
            architecture: "amd64".into(),
            variant: None,
        }
    }

    /// Parses `os/arch[/variant]`, normalising the architecture names Docker accepts as aliases
    /// (`x86_64` → `amd64`, `aarch64` → `arm64`).
    pub fn parse(s: &str) -> Result<Platform, String> {
        let parts: Vec<&str> = s.trim().split('/').collect();
        let bad =
            || format!("invalid platform {s:?}: expected os/arch[/variant], e.g. linux/amd64");
        let (os, arch, variant) = match parts.as_slice() {
            [os, arch] => (*os, *arch, None),
            [os, arch, variant] => (*os, *arch, Some(*variant)),
            _ => return Err(bad()),
        };
        let valid = |p: &str| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
        };
        if !valid(os) || !valid(arch) || variant.is_some_and(|v| !valid(v)) {
            return Err(bad());
        }
        let architecture = match arch.to_ascii_lowercase().as_str() {
            "x86_64" | "x86-64" => "amd64".to_string(),
            "aarch64" => "arm64".to_string(),
            other => other.to_string(),
        };
        let variant = match (architecture.as_str(), variant) {
            ("arm64", Some("v8")) => None,
            (_, v) => v.map(str::to_ascii_lowercase),
        };
        Ok(Platform {
            os: os.to_ascii_lowercase(),
            architecture,
            variant,
        })
    }

    /// The `BUILD*` or `TARGET*` ARGs for this platform.
    pub fn args(&self, prefix: &str) -> [(String, String); 4] {
        [
            (format!("{prefix}PLATFORM"), self.to_string()),
            (format!("{prefix}OS"), self.os.clone()),
            (format!("{prefix}ARCH"), self.architecture.clone()),
            (
                format!("{prefix}VARIANT"),
                self.variant.clone().unwrap_or_default(),
            ),
        ]
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.os, self.architecture)?;
        if let Some(v) = &self.variant {
            write!(f, "/{v}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        assert_eq!(
            Platform::parse("linux/amd64").unwrap(),
            Platform::linux_amd64()
        );
        assert_eq!(
            Platform::parse("linux/x86_64").unwrap().to_string(),
            "linux/amd64"
        );
        assert_eq!(
            Platform::parse("linux/arm64/v8").unwrap().to_string(),
            "linux/arm64"
        );
        assert_eq!(
            Platform::parse("linux/arm/v7").unwrap().to_string(),
            "linux/arm/v7"
        );
        assert!(Platform::parse("linux").is_err());
        assert!(Platform::parse("linux/amd64/v1/x").is_err());
    }

    #[test]
    fn automatic_args() {
        let p = Platform::parse("linux/arm/v7").unwrap();
        let args = p.args("TARGET");
        assert_eq!(args[0], ("TARGETPLATFORM".into(), "linux/arm/v7".into()));
        assert_eq!(args[3], ("TARGETVARIANT".into(), "v7".into()));
    }
}
