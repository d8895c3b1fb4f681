//! The action's registry client (JavaScript `fetch`, every answer read by the core) against a
//! real registry on loopback, through a proxy that injects faults: rate limits with
//! `Retry-After`, server errors, huge bodies, slow answers, and registries that want Basic or
//! Bearer authentication. A registry problem is a note in the comparison, never the step's
//! result, and never shows a secret.

use crate::action::{Action, ActionRun, shown, workspace};
use crate::common::json;
use crate::support::registry_server::{
    self as rs, Auth, DEV_PACKAGES, DEV_TAG, Fault, FaultProxy, Fixtures, PROD_AMD64_LAYERS,
    PROD_PACKAGES, PROD_REPO, PROD_TAG, RegistryServer, TokenServer,
};
use serde_json::Value;
use std::time::{Duration, Instant};

const USER: &str = "robot";
const PASSWORD: &str = "pw-0f1e2d3c4b5a69788796a5b4c3d2e1f0";

/// A Dockerfile on the production image at `addr`, with `addr/minimus` a Minimus mirror.
fn checked_at(addr: &str, inputs: &[(&'static str, &str)]) -> (ActionRun, Value) {
    let config = format!(
        "mirrors:\n  - prefix: {addr}/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n"
    );
    let dir = workspace(&[
        (".minicheck.yaml", config.as_str()),
        (
            "Dockerfile",
            &format!("FROM {addr}/{PROD_REPO}:{PROD_TAG}\n"),
        ),
    ]);
    let mut action = Action::new(dir.path()).input("fail-on", "never");
    for (name, value) in inputs {
        action = action.input(name, *value);
    }
    let r = action.run();
    assert_eq!(
        r.code,
        0,
        "a registry problem never fails the step\n{}",
        r.all()
    );
    let comparison = json(&r.outputs["findings"])["comparisons"][0].clone();
    (r, comparison)
}

fn open() -> (RegistryServer, tempfile::TempDir, Fixtures, FaultProxy) {
    let (server, storage) = RegistryServer::open();
    let fixtures = rs::push_fixtures(&server.addr);
    let proxy = FaultProxy::start(&server.addr);
    (server, storage, fixtures, proxy)
}

fn assert_complete(c: &Value) {
    assert_eq!(c["twin"]["to"]["packages"], PROD_PACKAGES, "{c:#}");
    assert_eq!(c["twin"]["from"]["packages"], DEV_PACKAGES, "{c:#}");
    assert_eq!(
        c["twin"]["to"]["compressed_size"],
        PROD_AMD64_LAYERS.iter().sum::<usize>(),
        "{c:#}"
    );
    assert_eq!(c["notes"], serde_json::json!([]), "{c:#}");
}

#[test]
fn a_rate_limit_is_waited_out_as_retry_after_says() {
    let (_server, _storage, fx, proxy) = open();
    let manifest = format!("/manifests/{}", fx.prod_amd64);
    proxy.add(
        Some("GET"),
        &manifest,
        Fault::Status {
            status: 429,
            headers: vec![("Retry-After".into(), "1".into())],
            body: r#"{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}"#.into(),
        },
        Some(1),
    );
    let started = Instant::now();
    let (_, c) = checked_at(&proxy.addr, &[]);
    assert_complete(&c);
    assert_eq!(
        proxy.count("GET", &manifest),
        2,
        "refused once, then served"
    );
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "it waited as told"
    );
}

#[test]
fn server_errors_are_retried_then_reported_as_a_note() {
    let (_server, _storage, fx, proxy) = open();
    // The dev image's SBOM blob fails twice, then is served: only slower.
    let blob = format!("/blobs/{}", fx.dev_att_blob);
    let unavailable = Fault::Status {
        status: 503,
        headers: vec![],
        body: String::new(),
    };
    proxy.add(Some("GET"), &blob, unavailable.clone(), Some(2));
    let (_, c) = checked_at(&proxy.addr, &[]);
    assert_complete(&c);
    assert_eq!(proxy.count("GET", &blob), 3);

    // The dev tag fails for good: the twin comparison is missing, and the note says why.
    proxy.clear();
    let tag = format!("/manifests/{DEV_TAG}");
    proxy.add(
        Some("GET"),
        &tag,
        Fault::Status {
            status: 500,
            headers: vec![],
            body: r#"{"errors":[{"code":"UNKNOWN","message":"internal trouble"}]}"#.into(),
        },
        None,
    );
    let (r, c) = checked_at(&proxy.addr, &[]);
    assert!(c["twin"].is_null(), "{c:#}");
    let notes = c["notes"].to_string();
    assert!(notes.contains("500"), "{notes}");
    assert!(notes.contains("internal trouble"), "{notes}");
    assert_eq!(
        proxy.count("GET", &tag),
        4,
        "the first try and three retries"
    );
    assert!(
        r.summary.contains("internal trouble"),
        "the note is in the summary"
    );
}

#[test]
fn huge_answers_are_cut_off_at_the_limit() {
    let (_server, _storage, _fx, proxy) = open();
    proxy.add(
        Some("GET"),
        &format!("/manifests/{PROD_TAG}"),
        Fault::Huge {
            content_type: "application/vnd.oci.image.index.v1+json".into(),
            size: 512 * 1024 * 1024,
        },
        None,
    );
    let started = Instant::now();
    let (_, c) = checked_at(&proxy.addr, &[]);
    let notes = c["notes"].to_string();
    assert!(
        notes.contains("more than the 4194304 bytes allowed"),
        "{notes}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "it stopped reading"
    );
}

#[test]
fn a_registry_slower_than_the_timeout_is_given_up() {
    let (_server, _storage, _fx, proxy) = open();
    proxy.add(
        Some("GET"),
        &format!("/manifests/{DEV_TAG}"),
        Fault::Delay(Duration::from_secs(5)),
        None,
    );
    let started = Instant::now();
    let (_, c) = checked_at(&proxy.addr, &[("registry-timeout", "1")]);
    let notes = c["notes"].to_string();
    assert!(notes.contains("no answer within 1 s"), "{notes}");
    assert!(c["twin"].is_null());
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn basic_authentication_with_the_inputs_and_a_clear_note_without() {
    let (open, storage) = RegistryServer::open();
    rs::push_fixtures(&open.addr);
    let dir = tempfile::tempdir().unwrap();
    let file = rs::htpasswd_file(dir.path(), USER, PASSWORD);
    let server = RegistryServer::start(storage.path(), Auth::Htpasswd(file));

    let (r, c) = checked_at(
        &server.addr,
        &[
            ("registry-username", USER),
            ("registry-password", PASSWORD),
            ("registry-host", &server.addr),
        ],
    );
    assert_complete(&c);
    assert_eq!(shown(&r, PASSWORD), 0);

    let (_, c) = checked_at(&server.addr, &[]);
    let notes = c["notes"].to_string();
    assert!(notes.contains("requires authentication"), "{notes}");
    assert!(notes.contains("registry-username"), "{notes}");

    // Credentials named for another registry are not sent here.
    let (_, c) = checked_at(
        &server.addr,
        &[
            ("registry-username", USER),
            ("registry-password", PASSWORD),
            ("registry-host", "registry.example.com"),
        ],
    );
    assert!(
        c["notes"].to_string().contains("requires authentication"),
        "{c:#}"
    );

    let (r, c) = checked_at(
        &server.addr,
        &[
            ("registry-username", USER),
            ("registry-password", "wrong-password"),
            ("registry-host", &server.addr),
        ],
    );
    assert!(c["notes"].to_string().contains("401"), "{c:#}");
    assert_eq!(shown(&r, "wrong-password"), 0);
}

#[test]
fn bearer_tokens_from_a_token_server_the_registry_verifies() {
    let (open, storage) = RegistryServer::open();
    rs::push_fixtures(&open.addr);
    let tokens = TokenServer::start(USER, PASSWORD);
    let server = RegistryServer::start(storage.path(), Auth::Token(tokens.config.clone()));

    // Anonymous pull tokens for a public repository.
    let (r, c) = checked_at(&server.addr, &[]);
    assert_complete(&c);
    let requests = tokens.log.lock().unwrap().clone();
    assert!(
        requests
            .iter()
            .any(|t| t.scopes == [format!("repository:{PROD_REPO}:pull")] && t.user.is_none()),
        "{requests:#?}"
    );
    // With credentials, the token request carries them; no token shows in the output.
    let (r2, c) = checked_at(
        &server.addr,
        &[
            ("registry-username", USER),
            ("registry-password", PASSWORD),
            ("registry-host", &server.addr),
        ],
    );
    assert_complete(&c);
    let requests = tokens.log.lock().unwrap().clone();
    assert!(
        requests.iter().any(|t| t.user.as_deref() == Some(USER)),
        "{requests:#?}"
    );
    for t in requests.iter().filter_map(|t| t.token.as_deref()) {
        assert_eq!(shown(&r, t) + shown(&r2, t), 0, "a registry token leaked");
    }
    assert_eq!(shown(&r2, PASSWORD), 0);
}
