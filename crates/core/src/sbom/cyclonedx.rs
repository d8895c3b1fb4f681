//! CycloneDX JSON, specVersion 1.2 to 1.7.
//!
//! Packages: every component of `components`, at any depth of nesting, and the components nested
//! in `metadata.component`; not `metadata.component` itself (the BOM's subject, also when
//! `components` repeats it with the same `bom-ref` or purl), and no component of type `file`
//! (its nested components still count).
//!
//! Checked, because they are read: `bomFormat` is `CycloneDX`, `specVersion` is 1.2 to 1.7,
//! every component has a `name` and a `type` from that version's list, and the fields read are
//! strings. Nothing else is validated (hashes, licenses, `bom-ref` uniqueness, …).

use super::{Package, Parsed, SbomError, SbomFormat, package};
use serde::Deserialize;

#[derive(Deserialize)]
pub(super) struct Bom {
    #[serde(rename = "bomFormat")]
    bom_format: String,
    #[serde(rename = "specVersion")]
    spec_version: Option<String>,
    metadata: Option<Metadata>,
    #[serde(default)]
    components: Vec<Component>,
}

#[derive(Deserialize)]
struct Metadata {
    component: Option<Component>,
}

#[derive(Deserialize)]
struct Component {
    #[serde(rename = "type")]
    kind: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    #[serde(default)]
    components: Vec<Component>,
}

/// Component types of CycloneDX 1.2 to 1.4.
const TYPES_1_2: [&str; 8] = [
    "application",
    "framework",
    "library",
    "container",
    "operating-system",
    "device",
    "firmware",
    "file",
];
/// Added in 1.5.
const TYPES_1_5: [&str; 4] = [
    "platform",
    "device-driver",
    "machine-learning-model",
    "data",
];
/// Added in 1.6 (1.7 adds none).
const TYPES_1_6: [&str; 1] = ["cryptographic-asset"];

fn type_exists(minor: u8, ty: &str) -> bool {
    TYPES_1_2.contains(&ty)
        || (minor >= 5 && TYPES_1_5.contains(&ty))
        || (minor >= 6 && TYPES_1_6.contains(&ty))
}

fn invalid(message: String) -> SbomError {
    SbomError::Invalid {
        format: SbomFormat::CycloneDxJson,
        message,
    }
}

/// What is wrong with a component, if anything.
fn check(c: &Component, minor: u8) -> Option<String> {
    match (&c.kind, &c.name) {
        (None, _) => Some("has no type".into()),
        (Some(ty), _) if !type_exists(minor, ty) => Some(format!(
            "type {ty:?} is not a CycloneDX 1.{minor} component type"
        )),
        (_, None) => Some("has no name".into()),
        _ => None,
    }
}

pub(super) fn read(bom: Bom) -> Result<Parsed, SbomError> {
    if bom.bom_format != "CycloneDX" {
        return Err(invalid(format!(
            "bomFormat is {:?}, not \"CycloneDX\"",
            bom.bom_format
        )));
    }
    let spec_version = bom
        .spec_version
        .ok_or_else(|| invalid("no specVersion".into()))?;
    let minor = match spec_version.as_str() {
        "1.2" => 2,
        "1.3" => 3,
        "1.4" => 4,
        "1.5" => 5,
        "1.6" => 6,
        "1.7" => 7,
        _ => {
            return Err(SbomError::UnsupportedVersion {
                what: format!("CycloneDX specVersion {spec_version}"),
                supported: "1.2 to 1.7; CycloneDX JSON starts at 1.2",
            });
        }
    };
    let mut root = bom.metadata.and_then(|m| m.component);
    let mut packages = Vec::new();
    let mut root_children = Vec::new();
    let (root_ref, root_purl) = match &mut root {
        Some(r) => {
            if let Some(problem) = check(r, minor) {
                return Err(invalid(format!("metadata.component {problem}")));
            }
            root_children = std::mem::take(&mut r.components);
            (non_empty(r.bom_ref.take()), non_empty(r.purl.take()))
        }
        None => (None, None),
    };
    let is_root = |c: &Component| {
        (root_ref.is_some() && c.bom_ref == root_ref)
            || (root_purl.is_some() && c.purl == root_purl)
    };
    walk(bom.components, "components", minor, &is_root, &mut packages)?;
    walk(
        root_children,
        "metadata.component.components",
        minor,
        &is_root,
        &mut packages,
    )?;
    Ok(Parsed {
        spec_version,
        packages,
    })
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// Depth-first, in document order, with an explicit stack: no recursion on nested components.
fn walk(
    components: Vec<Component>,
    prefix: &str,
    minor: u8,
    is_root: &dyn Fn(&Component) -> bool,
    out: &mut Vec<Package>,
) -> Result<(), SbomError> {
    // Each level: the components left, and how many were taken (the path to the current one).
    let mut stack = vec![(components.into_iter(), 0usize)];
    loop {
        let Some((level, taken)) = stack.last_mut() else {
            return Ok(());
        };
        let Some(mut c) = level.next() else {
            stack.pop();
            continue;
        };
        *taken += 1;
        if let Some(problem) = check(&c, minor) {
            return Err(invalid(format!("{} {problem}", path(prefix, &stack))));
        }
        let children = std::mem::take(&mut c.components);
        if c.kind.as_deref() != Some("file") && !is_root(&c) {
            out.push(package(
                c.name.unwrap_or_default(),
                c.version,
                c.purl,
                c.kind,
            ));
        }
        if !children.is_empty() {
            stack.push((children.into_iter(), 0));
        }
    }
}

/// `components[3].components[0]`: where the component last taken sits.
fn path(prefix: &str, stack: &[(std::vec::IntoIter<Component>, usize)]) -> String {
    let mut out = prefix.to_owned();
    for (depth, (_, taken)) in stack.iter().enumerate() {
        if depth > 0 {
            out.push_str(".components");
        }
        out.push_str(&format!("[{}]", taken.saturating_sub(1)));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::sbom::{SbomError, SbomFormat, read_sbom};

    fn names(json: &str) -> Vec<String> {
        let sbom = read_sbom(json.as_bytes()).expect("reads");
        assert_eq!(sbom.format, SbomFormat::CycloneDxJson);
        sbom.packages.into_iter().map(|p| p.name).collect()
    }

    fn error(json: &str) -> String {
        read_sbom(json.as_bytes())
            .expect_err("rejected")
            .to_string()
    }

    #[test]
    fn nested_components_count_files_and_the_root_do_not() {
        let json = r#"{"bomFormat":"CycloneDX","specVersion":"1.6",
          "metadata":{"component":{"type":"container","name":"img","bom-ref":"root",
             "components":[{"type":"library","name":"in-root"}]}},
          "components":[
            {"type":"library","name":"a","components":[
               {"type":"library","name":"a1","components":[{"type":"library","name":"a11"}]},
               {"type":"file","name":"a.txt","components":[{"type":"library","name":"in-file"}]}]},
            {"type":"container","name":"img","bom-ref":"root"},
            {"type":"operating-system","name":"alpine","version":"3.20.3"}]}"#;
        assert_eq!(
            names(json),
            ["a", "a1", "a11", "in-file", "alpine", "in-root"]
        );
    }

    #[test]
    fn root_repeated_by_purl_is_not_counted() {
        let json = r#"{"bomFormat":"CycloneDX","specVersion":"1.5",
          "metadata":{"component":{"type":"application","name":"app","purl":"pkg:npm/app@1.0.0"}},
          "components":[{"type":"application","name":"app","purl":"pkg:npm/app@1.0.0"},
                        {"type":"library","name":"lodash","purl":"pkg:npm/lodash@4.17.21"}]}"#;
        assert_eq!(names(json), ["lodash"]);
    }

    #[test]
    fn fields_of_a_package() {
        let sbom = read_sbom(
            br#"{"bomFormat":"CycloneDX","specVersion":"1.4","components":[
              {"type":"library","name":"bash","version":"5.2","purl":"pkg:deb/debian/bash@5.2-1?arch=amd64"},
              {"type":"library","name":"nover","purl":"pkg:npm/nover@2.0.0"},
              {"type":"operating-system","name":"debian","version":"12.7"}]}"#,
        )
        .expect("reads");
        let p = &sbom.packages;
        assert_eq!(p[0].kind.as_deref(), Some("deb"));
        assert_eq!(p[0].version.as_deref(), Some("5.2"));
        assert_eq!(
            p[0].purl.as_deref(),
            Some("pkg:deb/debian/bash@5.2-1?arch=amd64")
        );
        assert_eq!(
            p[1].version.as_deref(),
            Some("2.0.0"),
            "version from the purl"
        );
        assert_eq!(p[2].kind.as_deref(), Some("operating-system"));
        assert_eq!(p[2].purl, None);
    }

    #[test]
    fn duplicates_count_once() {
        let json = r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
            {"type":"library","name":"a","version":"1","purl":"pkg:npm/a@1"},
            {"type":"library","name":"a-again","version":"1","purl":"pkg:npm/a@1"},
            {"type":"operating-system","name":"ubuntu","version":"22.04"},
            {"type":"operating-system","name":"ubuntu","version":"22.04"},
            {"type":"operating-system","name":"ubuntu","version":"24.04"}]}"#;
        assert_eq!(names(json), ["a", "ubuntu", "ubuntu"]);
    }

    #[test]
    fn the_fields_read_are_checked() {
        assert!(
            error(r#"{"bomFormat":"AnotherFormat","specVersion":"1.6"}"#)
                .contains(r#"bomFormat is "AnotherFormat", not "CycloneDX""#)
        );
        assert_eq!(
            error(r#"{"bomFormat":"CycloneDX","specVersion":"1.0"}"#),
            "CycloneDX specVersion 1.0 is not supported (supported: 1.2 to 1.7; CycloneDX JSON starts at 1.2)"
        );
        assert!(error(r#"{"bomFormat":"CycloneDX"}"#).contains("no specVersion"));
        assert!(
            error(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"name":"a"}]}"#)
                .ends_with("components[0] has no type")
        );
        assert!(error(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","components":[{"type":"library"}]}]}"#)
            .ends_with("components[0].components[0] has no name"));
        assert!(error(r#"{"bomFormat":"CycloneDX","specVersion":"1.4","components":[{"type":"platform","name":"k8s"}]}"#)
            .ends_with(r#"components[0] type "platform" is not a CycloneDX 1.4 component type"#));
        assert!(error(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":"a","version":1}]}"#)
            .contains("invalid type: integer `1`, expected a string"));
        assert!(error(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","metadata":{"component":{"name":"x"}}}"#)
            .ends_with("metadata.component has no type"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        let depth = 100_000;
        let mut json =
            String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#);
        for _ in 0..depth {
            json.push_str(r#"[{"type":"library","name":"n","components":"#);
        }
        json.push_str("[]");
        for _ in 0..depth {
            json.push_str("}]");
        }
        json.push('}');
        let e = read_sbom(json.as_bytes()).expect_err("too deep");
        assert!(matches!(e, SbomError::TooDeep(_)), "{e}");
        // Within the limit, it reads.
        let mut ok = String::from(r#"{"bomFormat":"CycloneDX","specVersion":"1.6","components":"#);
        for _ in 0..50 {
            ok.push_str(r#"[{"type":"library","name":"n","components":"#);
        }
        ok.push_str("[]");
        for _ in 0..50 {
            ok.push_str("}]");
        }
        ok.push('}');
        assert_eq!(read_sbom(ok.as_bytes()).expect("reads").packages.len(), 1);
    }
}
