use super::*;
use crate::config::{ImagePair, Mirror, RegistryPattern};

fn image(s: &str) -> ImageRef {
    ImageRef::parse(s).unwrap()
}

fn classify(config: &Config, s: &str) -> Option<Classified> {
    Catalog::new(config).classify(&image(s))
}

fn twins(config: &Config, s: &str) -> Vec<String> {
    Catalog::new(config)
        .production_twins(&image(s))
        .iter()
        .map(|i| i.familiar())
        .collect()
}

fn mirrored() -> Config {
    Config {
        mirrors: vec![Mirror {
            prefix: "ghcr.io/acme/minimus".into(),
            vendor: "minimus".into(),
            upstream: "reg.mini.dev".into(),
        }],
        ..Config::default()
    }
}

#[test]
fn minimus_dev_and_production() {
    let config = Config::default();
    let dev = classify(&config, "reg.mini.dev/python:3.13.5-dev").unwrap();
    assert_eq!(dev.vendor.id, "minimus");
    assert_eq!(dev.name, "python");
    assert_eq!(dev.variant, Variant::Dev);
    assert!(dev.has_shell);
    let prod = classify(&config, "reg.mini.dev/python:3.13.5").unwrap();
    assert_eq!(prod.variant, Variant::Production);
    assert!(!prod.has_shell);
    assert!(
        classify(&config, "reg.mini.dev/busybox:latest")
            .unwrap()
            .has_shell
    );
    // Untagged means latest: production.
    assert_eq!(
        classify(&config, "reg.mini.dev/python").unwrap().variant,
        Variant::Production
    );
    // Tenant segments and v-prefixed tags.
    let tenant = classify(&config, "reg.mini.dev/1212/openjre-base:21-dev").unwrap();
    assert_eq!(tenant.name, "openjre-base");
    assert_eq!(tenant.variant, Variant::Dev);
    assert_eq!(
        classify(&config, "reg.mini.dev/node:v25.9.0-dev")
            .unwrap()
            .variant,
        Variant::Dev
    );
}

#[test]
fn twins_keep_the_location_and_version() {
    let config = Config::default();
    assert_eq!(
        twins(&config, "reg.mini.dev/python:3.13.5-dev"),
        ["reg.mini.dev/python:3.13.5"]
    );
    assert_eq!(
        twins(&config, "reg.mini.dev/python:latest-dev"),
        ["reg.mini.dev/python:latest"]
    );
    assert_eq!(
        twins(&config, "reg.mini.dev/go:1.23-dev"),
        [
            "reg.mini.dev/static:latest",
            "reg.mini.dev/glibc-dynamic:latest"
        ]
    );
    assert_eq!(
        twins(&config, "reg.mini.dev/openjdk:21-dev"),
        ["reg.mini.dev/openjre:21"]
    );
    assert_eq!(
        twins(&config, "cgr.dev/chainguard/python:latest-dev"),
        ["cgr.dev/chainguard/python:latest"]
    );
    assert_eq!(
        twins(&config, "dhi.io/python:3.14-alpine3.24-dev"),
        ["dhi.io/python:3.14-alpine3.24"]
    );
    assert_eq!(
        twins(&config, "acme/dhi-node:24-fips-dev"),
        ["acme/dhi-node:24-fips"]
    );
    assert_eq!(
        twins(&config, "gcr.io/distroless/python3-debian12:debug-nonroot"),
        ["gcr.io/distroless/python3-debian12:nonroot"]
    );
    assert_eq!(
        twins(&config, "gcr.io/distroless/static-debian12:debug"),
        ["gcr.io/distroless/static-debian12:latest"]
    );
    assert!(twins(&config, "reg.mini.dev/python:3.13").is_empty());
}

#[test]
fn dev_twins_for_comparison() {
    let config = Config::default();
    let c = Catalog::new(&config);
    let dev = |s: &str| c.dev_twin(&image(s)).map(|i| i.familiar());
    assert_eq!(
        dev("reg.mini.dev/python:3.13.5").as_deref(),
        Some("reg.mini.dev/python:3.13.5-dev")
    );
    assert_eq!(
        dev("reg.mini.dev/openjre:21").as_deref(),
        Some("reg.mini.dev/openjdk:21-dev")
    );
    assert_eq!(
        dev("reg.mini.dev/static:latest").as_deref(),
        Some("reg.mini.dev/go:latest-dev")
    );
    assert_eq!(
        dev("gcr.io/distroless/static-debian12").as_deref(),
        Some("gcr.io/distroless/static-debian12:debug")
    );
    assert_eq!(dev("python:3.13"), None);
}

#[test]
fn mirrors_are_judged_as_their_upstream() {
    let config = mirrored();
    let c = classify(&config, "ghcr.io/acme/minimus/python:3.13.5-dev").unwrap();
    assert_eq!(c.vendor.id, "minimus");
    assert_eq!(c.variant, Variant::Dev);
    assert_eq!(
        c.upstream.as_deref(),
        Some("reg.mini.dev/python:3.13.5-dev")
    );
    assert_eq!(
        twins(&config, "ghcr.io/acme/minimus/python:3.13.5-dev"),
        ["ghcr.io/acme/minimus/python:3.13.5"]
    );
    let catalog = Catalog::new(&config);
    assert!(
        catalog
            .retirement(&image("ghcr.io/acme/minimus/python:3.13.5"))
            .is_none(),
        "a mirror is not retired"
    );
    assert!(
        catalog
            .retirement(&image("reg.mini.dev/python:3.13.5"))
            .is_some()
    );
    // A sibling path is not the mirror.
    assert!(classify(&config, "ghcr.io/acme/minimusx/python:3").is_none());
}

#[test]
fn configuration_extends_pairs_shells_and_trust() {
    let config = Config {
        pairs: vec![ImagePair {
            vendor: "chainguard".into(),
            dev: "rust".into(),
            production: vec!["glibc-dynamic".into()],
        }],
        shell_less: vec![RegistryPattern("cgr.dev/chainguard/wolfi-base".into())],
        trusted_registries: vec![RegistryPattern("*.acme.io".into())],
        ..Config::default()
    };
    assert_eq!(
        twins(&config, "cgr.dev/chainguard/rust:1.90-dev"),
        ["cgr.dev/chainguard/glibc-dynamic:1.90"]
    );
    let catalog = Catalog::new(&config);
    assert!(catalog.is_shell_less(&image("cgr.dev/chainguard/wolfi-base")));
    assert!(!catalog.is_shell_less(&image("python:3.13")));
    assert!(catalog.is_hardened_source(&image("registry.acme.io/base:1")));
    assert!(!catalog.is_hardened_source(&image("python:3.13")));
    assert!(catalog.is_hardened_source(&image("gcr.io/distroless/static-debian12")));
}

#[test]
fn versions_for_comparison() {
    let suffix = DevTag::Suffix("-dev");
    assert_eq!(version_of(suffix, "3.13.5-dev"), Some(vec![3, 13, 5]));
    assert_eq!(version_of(suffix, "3.12"), Some(vec![3, 12]));
    assert_eq!(version_of(suffix, "v25.9.0-dev"), Some(vec![25, 9, 0]));
    assert_eq!(version_of(suffix, "latest-dev"), None);
    assert_eq!(
        version_of(DevTag::DashPart("dev"), "3.14-alpine3.24-dev"),
        Some(vec![3, 14])
    );
}

#[test]
fn other_images_are_not_in_the_catalog() {
    let config = Config::default();
    for s in [
        "python:3.13",
        "ghcr.io/acme/app:1",
        "mcr.microsoft.com/dotnet/sdk:9.0",
    ] {
        assert!(classify(&config, s).is_none(), "{s}");
    }
    assert!(is_vendor("minimus") && !is_vendor("acme"));
}
