//! `minicheck compare` and `check --compare` through the binary, against a real registry
//! (Debian's docker-registry on loopback) holding a production image, its dev twin, and others.

use crate::common::{bin, json, run, tree};
use crate::support::registry_server::{
    DEV_LAYERS, DEV_PACKAGES, NODE_LAYERS, NODE_PACKAGES, PROD_AMD64_LAYERS, PROD_PACKAGES,
    RegistryServer, STATIC_LAYERS, push_fixtures,
};
use std::path::Path;
use std::process::Command;

fn sum(sizes: &[usize]) -> i64 {
    sizes.iter().map(|&s| s as i64).sum()
}

/// A registry with the fixtures, and a configuration that makes its `minimus/` path a mirror of
/// Minimus, so the catalog knows the images' twins.
fn registry() -> (RegistryServer, tempfile::TempDir, tempfile::TempDir, String) {
    let (server, storage) = RegistryServer::open();
    push_fixtures(&server.addr);
    let addr = server.addr.clone();
    let dir = tree(&[(
        ".minicheck.yaml",
        &format!(
            "mirrors:\n  - prefix: {addr}/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n"
        ),
    )]);
    (server, storage, dir, addr)
}

fn minicheck(dir: &Path, args: &[&str]) -> crate::common::Run {
    let cache = dir.join("cache");
    run(bin()
        .current_dir(dir)
        .env("XDG_CACHE_HOME", &cache)
        .env_remove("MINICHECK_REGISTRY_USER")
        .env_remove("MINICHECK_REGISTRY_PASSWORD")
        .args(args))
}

#[test]
fn compare_two_images_like_the_vendor_guide() {
    let (_server, _storage, dir, addr) = registry();
    let dev = format!("{addr}/minimus/python:3.13.5-dev");
    let prod = format!("{addr}/minimus/python:3.13.5");
    let r = minicheck(dir.path(), &["compare", "--format", "json", &dev, &prod]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["from"]["compressed_size"], sum(&DEV_LAYERS));
    assert_eq!(v["from"]["packages"], DEV_PACKAGES);
    assert_eq!(v["to"]["compressed_size"], sum(&PROD_AMD64_LAYERS));
    assert_eq!(v["to"]["packages"], PROD_PACKAGES);
    assert_eq!(v["to"]["platform"], "linux/amd64");
    assert!(v["to"]["digest"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(
        v["delta"]["compressed_size"],
        sum(&PROD_AMD64_LAYERS) - sum(&DEV_LAYERS)
    );
    assert_eq!(
        v["delta"]["packages"],
        PROD_PACKAGES as i64 - DEV_PACKAGES as i64
    );
    let human = minicheck(dir.path(), &["compare", &dev, &prod]);
    assert!(human.stdout.contains("compressed size"), "{}", human.stdout);
    assert!(
        human
            .stdout
            .contains(&format!("SBOM packages    {DEV_PACKAGES}")),
        "{}",
        human.stdout
    );
}

#[test]
fn twin_from_the_catalog_through_a_mirror() {
    let (_server, _storage, dir, addr) = registry();
    let prod = format!("{addr}/minimus/python:3.13.5");
    let r = minicheck(
        dir.path(),
        &["compare", "--twin", &prod, "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(
        v["from"]["ref"],
        format!("{addr}/minimus/python:3.13.5-dev")
    );
    assert_eq!(v["to"]["ref"], prod);
    assert_eq!(
        v["delta"]["packages"],
        PROD_PACKAGES as i64 - DEV_PACKAGES as i64
    );
}

#[test]
fn an_image_without_sbom_has_a_size_and_an_unknown_package_count() {
    let (_server, _storage, dir, addr) = registry();
    let node = format!("{addr}/minimus/node:22");
    let stat = format!("{addr}/minimus/static:latest");
    let r = minicheck(dir.path(), &["compare", "--format", "json", &node, &stat]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["from"]["packages"], NODE_PACKAGES);
    assert_eq!(v["to"]["packages"], serde_json::Value::Null);
    assert_eq!(v["to"]["compressed_size"], sum(&STATIC_LAYERS));
    assert_eq!(v["delta"]["packages"], serde_json::Value::Null);
    assert!(v["to"]["note"].as_str().unwrap().contains("unknown"));
    let _ = NODE_LAYERS;
}

#[test]
fn a_missing_image_is_a_clear_error() {
    let (_server, _storage, dir, addr) = registry();
    let missing = format!("{addr}/minimus/nope:1");
    let prod = format!("{addr}/minimus/python:3.13.5");
    let r = minicheck(dir.path(), &["compare", &missing, &prod]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("minimus/nope:1"), "{}", r.stderr);
    assert_eq!(r.stdout, "");
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .status()
        .expect("git");
    assert!(status.success(), "git {args:?}");
}

/// `minicheck check --compare --base-ref BASE --format FORMAT FILE` in `dir`.
fn check_compare(dir: &Path, base_ref: &str, format: &str, file: &str) -> crate::common::Run {
    minicheck(
        dir,
        &[
            "check",
            "--compare",
            "--base-ref",
            base_ref,
            "--format",
            format,
            file,
        ],
    )
}

#[test]
fn check_compare_against_the_twin_and_the_base_revision() {
    let (_server, _storage, dir, addr) = registry();
    let path = dir.path();
    // The base revision ships node; the pull request moves to python.
    std::fs::write(
        path.join("Dockerfile"),
        format!("FROM {addr}/minimus/node:22\n"),
    )
    .unwrap();
    git(path, &["init", "-q"]);
    git(path, &["add", "Dockerfile", ".minicheck.yaml"]);
    git(path, &["commit", "-q", "-m", "base"]);
    std::fs::write(
        path.join("Dockerfile"),
        format!(
            "FROM {addr}/minimus/python:3.13.5-dev AS build\nFROM {addr}/minimus/python:3.13.5\nCOPY --from=build /venv /venv\n"
        ),
    )
    .unwrap();
    let r = check_compare(path, "HEAD", "json", "Dockerfile");
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let v = json(&r.stdout);
    let c = &v["comparisons"][0];
    assert_eq!(c["path"], "Dockerfile");
    assert_eq!(
        c["twin"]["delta"]["packages"],
        PROD_PACKAGES as i64 - DEV_PACKAGES as i64
    );
    assert_eq!(c["base"]["from"]["ref"], format!("{addr}/minimus/node:22"));
    assert_eq!(
        c["base"]["delta"]["packages"],
        PROD_PACKAGES as i64 - NODE_PACKAGES as i64
    );
    let md = check_compare(path, "HEAD", "markdown", "Dockerfile");
    assert!(
        md.stdout.contains("### Image size and packages"),
        "{}",
        md.stdout
    );
    assert!(
        md.stdout.contains(&format!("| {} |", PROD_PACKAGES)),
        "{}",
        md.stdout
    );
    // A Dockerfile that did not exist at the base revision says so.
    std::fs::write(
        path.join("new.Dockerfile"),
        format!("FROM {addr}/minimus/python:3.13.5\n"),
    )
    .unwrap();
    let r = check_compare(path, "HEAD", "json", "new.Dockerfile");
    let v = json(&r.stdout);
    assert!(
        v["comparisons"][0]["notes"][0]
            .as_str()
            .unwrap()
            .contains("new since HEAD"),
        "{}",
        r.stdout
    );

    // An absolute path is found at the base revision too.
    let absolute = path.join("Dockerfile").canonicalize().unwrap();
    let r = check_compare(path, "HEAD", "json", absolute.to_str().unwrap());
    let v = json(&r.stdout);
    assert_eq!(
        v["comparisons"][0]["base"]["from"]["ref"],
        format!("{addr}/minimus/node:22"),
        "{}",
        r.stdout
    );

    // A revision git does not have (a shallow clone) is a note; the twin is still compared.
    let r = check_compare(path, "origin/nowhere", "json", "Dockerfile");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    let c = &v["comparisons"][0];
    assert!(
        c["notes"][0]
            .as_str()
            .unwrap()
            .contains("git does not have origin/nowhere"),
        "{c:#}"
    );
    assert!(!c["twin"].is_null(), "{c:#}");
}
