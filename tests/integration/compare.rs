//! `minicheck compare` with SBOM files (images are covered in `registry.rs`, against a real
//! registry).

use crate::common::{json, repo_root, run_in, tree};

const SBOMS: &str = "../shared/corpus/sbom/spdx/trivy-fixtures/pkg/fanal/analyzer/sbom/testdata";

#[test]
fn two_sbom_files_human_and_json() {
    let from = format!("{SBOMS}/postgresql.spdx.json");
    let to = format!("{SBOMS}/elasticsearch.spdx.json");
    let r = run_in(&repo_root(), &["compare", &from, &to]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("SBOM packages    3"), "{}", r.stdout);
    assert!(r.stdout.contains("5 (+2)"), "{}", r.stdout);
    assert!(
        r.stdout.contains("3 removed:\n  - GDAL 3.7.1\n"),
        "{}",
        r.stdout
    );
    let v = json(&run_in(&repo_root(), &["compare", "--format", "json", &from, &to]).stdout);
    assert_eq!(v["from"]["packages"], 3);
    assert_eq!(v["to"]["packages"], 5);
    assert_eq!(v["delta"]["packages"], 2);
    assert_eq!(v["delta"]["compressed_size"], serde_json::Value::Null);
    assert_eq!(v["removed"].as_array().unwrap().len(), 3);
    assert_eq!(v["added"].as_array().unwrap().len(), 5);
}

#[test]
fn the_same_sbom_changes_nothing_whatever_its_wrapper() {
    // Trivy's CycloneDX attestation as an .intoto.jsonl line (DSSE) and as the decoded statement.
    let dir = "../shared/corpus/oci/attestations/trivy";
    let jsonl = format!("{dir}/integration-testdata-fixtures-sbom-centos-7-cyclonedx.intoto.jsonl");
    let statement = format!(
        "{dir}/integration-testdata-fixtures-sbom-centos-7-cyclonedx.statement.decoded.json"
    );
    let r = run_in(
        &repo_root(),
        &["compare", "--format", "json", &jsonl, &statement],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["delta"]["packages"], 0);
    assert!(v["from"]["packages"].as_u64().unwrap() > 0);
    assert_eq!(v["unchanged"], v["from"]["packages"]);
    assert_eq!(v["added"].as_array().unwrap().len(), 0);
}

#[test]
fn bad_inputs_exit_two() {
    let dir = tree(&[("bad.json", "{\"not\": \"an sbom\"}"), ("good.json", "x")]);
    for (args, says) in [
        (
            vec!["compare", "missing.json", "bad.json"],
            "cannot read missing.json",
        ),
        (vec!["compare", "bad.json", "bad.json"], "bad.json"),
        (vec!["compare", "--twin", "python:3.13"], "no twin"),
        (vec!["compare", "only-one.json"], "required"),
    ] {
        let r = run_in(dir.path(), &args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
    }
}
