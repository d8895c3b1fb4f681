//! The registry client against a real registry: Debian's `docker-registry` (distribution 2.8)
//! on loopback, open, behind htpasswd Basic auth and behind Bearer tokens it verifies; faults it
//! will not produce on demand come from a proxy in front of it that forwards everything else.
//!
//! The client is compiled into this test binary from its sources (the CLI has no library
//! target), together with the argument types it reads.

#[path = "../../crates/cli/args.rs"]
#[allow(dead_code)]
mod args;
#[path = "../../crates/cli/registry/mod.rs"]
#[allow(dead_code)]
mod registry_client;

use crate::support::registry_server::{
    self as rs, Auth, DEV_LAYERS, DEV_PACKAGES, DEV_TAG, Fault, FaultProxy, Fixtures, NODE_LAYERS,
    NODE_PACKAGES, NODE_REPO, PRIVATE_REPO, PROD_AMD64_LAYERS, PROD_ARM64_LAYERS, PROD_PACKAGES,
    PROD_REPO, PROD_TAG, RegistryServer, STATIC_LAYERS, STATIC_REPO, TokenServer,
};
use minicheck_core::platform::Platform;
use minicheck_core::reference::ImageRef;
use minicheck_core::sbom::SbomFormat;
use registry_client::{
    AuthConfig, ImageFacts, Registry, RegistryError, RegistryOptions, SbomOutcome, fetch_image,
};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const USER: &str = "ci-user";
const PASSWORD: &str = "s3cret-Passw0rd";

fn block_on<F: std::future::Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(future)
}

/// Test options: fast retries, no cache, no credentials (never the developer's own).
fn options() -> RegistryOptions {
    RegistryOptions {
        timeout: Duration::from_secs(10),
        retries: 2,
        retry_delay: Duration::from_millis(10),
        ..RegistryOptions::default()
    }
}

fn image(addr: &str, rest: &str) -> ImageRef {
    ImageRef::parse(&format!("{addr}/{rest}")).expect("reference")
}

fn fetch(options: RegistryOptions, image: &ImageRef) -> Result<ImageFacts, RegistryError> {
    let registry = Registry::new(options).expect("client");
    block_on(fetch_image(&registry, image))
}

fn sum(sizes: &[usize]) -> u64 {
    sizes.iter().map(|&s| s as u64).sum()
}

/// The package count of a found SBOM, and where it came from.
fn found(facts: &ImageFacts) -> (usize, &str, SbomFormat) {
    match &facts.sbom {
        SbomOutcome::Found { sbom, source } => (sbom.packages.len(), source.as_str(), sbom.format),
        other => panic!("expected an SBOM for {}, got {other:?}", facts.reference),
    }
}

/// An open registry with the fixtures, and a proxy in front of it.
fn open_registry() -> (RegistryServer, tempfile::TempDir, Fixtures, FaultProxy) {
    let (server, storage) = RegistryServer::open();
    let fixtures = rs::push_fixtures(&server.addr);
    let proxy = FaultProxy::start(&server.addr);
    (server, storage, fixtures, proxy)
}

fn assert_no_secret(text: &str, secrets: &[&str]) {
    for secret in secrets {
        assert!(!text.contains(secret), "a secret leaked into: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Facts and SBOM discovery

#[test]
fn an_index_gives_the_platform_image_its_size_and_the_buildkit_sbom() {
    let (_server, _storage, fx, proxy) = open_registry();
    let reference = image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}"));

    let facts = fetch(options(), &reference).expect("facts");
    assert_eq!(facts.reference, reference);
    assert_eq!(facts.digest, fx.prod_amd64);
    assert_eq!(facts.index_digest.as_deref(), Some(fx.prod_index.as_str()));
    assert_eq!(facts.platform.to_string(), "linux/amd64");
    assert_eq!(facts.compressed_size, sum(&PROD_AMD64_LAYERS));
    // The SPDX statement, not the provenance next to it.
    assert_eq!(
        found(&facts),
        (PROD_PACKAGES, "BuildKit attestation", SbomFormat::Spdx2Json)
    );
    // Found after the referrers and the cosign tag came up empty.
    let requests = proxy.api_requests();
    let at = |what: &str| {
        requests
            .iter()
            .position(|r| r.contains(what))
            .unwrap_or_else(|| panic!("no {what} in {requests:#?}"))
    };
    assert!(at("/referrers/") < at(".att"), "{requests:#?}");
    assert!(at(".att") < at(&format!("/manifests/{}", fx.prod_attestation)));

    // Another platform: its own digest and size; no attestation for it, and that is no error.
    let arm = RegistryOptions {
        platform: Platform::parse("linux/arm64").unwrap(),
        ..options()
    };
    let facts = fetch(arm, &reference).expect("arm64 facts");
    assert_eq!(facts.digest, fx.prod_arm64);
    assert_eq!(facts.platform.architecture, "arm64");
    assert_eq!(facts.compressed_size, sum(&PROD_ARM64_LAYERS));
    assert!(
        matches!(facts.sbom, SbomOutcome::NotFound),
        "{:?}",
        facts.sbom
    );

    // A platform the index does not have.
    let s390x = RegistryOptions {
        platform: Platform::parse("linux/s390x").unwrap(),
        ..options()
    };
    let err = fetch(s390x, &reference).unwrap_err();
    assert!(matches!(err, RegistryError::NotFound { .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("no image for linux/s390x"), "{text}");
    assert!(
        text.contains("linux/amd64") && text.contains("linux/arm64"),
        "{text}"
    );
}

#[test]
fn a_cosign_attestation_tag_carries_the_dev_images_sbom() {
    let (server, _storage, fx, _proxy) = open_registry();
    let facts = fetch(
        options(),
        &image(&server.addr, &format!("{PROD_REPO}:{DEV_TAG}")),
    )
    .unwrap();
    assert_eq!(facts.digest, fx.dev);
    assert_eq!(facts.index_digest, None);
    assert_eq!(facts.compressed_size, sum(&DEV_LAYERS));
    assert_eq!(facts.platform.to_string(), "linux/amd64");
    assert_eq!(
        found(&facts),
        (DEV_PACKAGES, "cosign .att tag", SbomFormat::Spdx2Json)
    );
}

#[test]
fn a_referrer_found_through_the_referrers_tag_schema_carries_a_cyclonedx_sbom() {
    let (_server, _storage, fx, proxy) = open_registry();
    let facts = fetch(options(), &image(&proxy.addr, &format!("{NODE_REPO}:22"))).unwrap();
    assert_eq!(facts.digest, fx.node);
    assert_eq!(facts.compressed_size, sum(&NODE_LAYERS));
    assert_eq!(
        found(&facts),
        (NODE_PACKAGES, "referrers", SbomFormat::CycloneDxJson)
    );
    // distribution 2.8 has no referrers API: asked first, 404, then the tag.
    let hex = fx.node.strip_prefix("sha256:").unwrap();
    let requests = proxy.api_requests();
    let api = requests
        .iter()
        .position(|r| r == &format!("GET /v2/{NODE_REPO}/referrers/{}", fx.node))
        .expect("the referrers API was asked");
    let tag = requests
        .iter()
        .position(|r| r == &format!("GET /v2/{NODE_REPO}/manifests/sha256-{hex}"))
        .expect("then the referrers tag");
    assert!(api < tag, "{requests:#?}");
    let statuses: Vec<u16> = proxy
        .requests()
        .iter()
        .filter(|r| r.path.contains("/referrers/"))
        .map(|r| r.status)
        .collect();
    assert_eq!(statuses, [404]);
    assert!(requests.contains(&format!("GET /v2/{NODE_REPO}/blobs/{}", fx.node_sbom_blob)));
}

#[test]
fn the_referrers_api_is_used_when_the_registry_has_it() {
    let (_server, _storage, fx, proxy) = open_registry();
    proxy.add(Some("GET"), "/referrers/", Fault::Referrers, None);
    let facts = fetch(options(), &image(&proxy.addr, &format!("{NODE_REPO}:22"))).unwrap();
    assert_eq!(
        found(&facts),
        (NODE_PACKAGES, "referrers", SbomFormat::CycloneDxJson)
    );
    let hex = fx.node.strip_prefix("sha256:").unwrap();
    assert_eq!(proxy.count("GET", &format!("/referrers/{}", fx.node)), 1);
    // The answer was used: the tag schema was not needed, nor were the later places.
    assert_eq!(proxy.count("GET", &format!("/manifests/sha256-{hex}")), 0);
    assert_eq!(proxy.count("GET", ".att"), 0);
    assert_eq!(
        proxy.count("GET", &format!("/manifests/{}", fx.node_referrer)),
        1
    );
}

#[test]
fn an_image_without_sbom_still_has_its_digest_and_size() {
    let (server, _storage, fx, _proxy) = open_registry();
    let facts = fetch(
        options(),
        &image(&server.addr, &format!("{STATIC_REPO}:latest")),
    )
    .unwrap();
    assert_eq!(facts.digest, fx.static_image);
    assert_eq!(facts.compressed_size, sum(&STATIC_LAYERS));
    assert!(
        matches!(facts.sbom, SbomOutcome::NotFound),
        "{:?}",
        facts.sbom
    );
}

#[test]
fn images_are_fetched_concurrently_in_input_order() {
    let (server, _storage, fx, _proxy) = open_registry();
    let a = &server.addr;
    let images = vec![
        image(a, &format!("{PROD_REPO}:{DEV_TAG}")),
        image(a, &format!("{PROD_REPO}:{PROD_TAG}")),
        image(a, &format!("{NODE_REPO}@{}", fx.node)),
        image(a, "minimus/missing:1"),
        image(a, &format!("{PROD_REPO}:{PROD_TAG}")),
        image(a, &format!("{PROD_REPO}@{}", fx.prod_index)),
    ];
    let registry = Registry::new(options()).unwrap();
    let results = block_on(registry.fetch_images(&images));
    assert_eq!(results.len(), images.len());
    let ok = |i: usize| results[i].as_ref().unwrap_or_else(|e| panic!("{i}: {e}"));
    assert_eq!(ok(0).digest, fx.dev);
    assert_eq!(ok(1).digest, fx.prod_amd64);
    assert_eq!(ok(2).digest, fx.node);
    assert_eq!(ok(2).reference, images[2]);
    assert!(matches!(results[3], Err(RegistryError::NotFound { .. })));
    // The same image twice: the same facts.
    assert_eq!(ok(4).digest, ok(1).digest);
    assert_eq!(found(ok(4)), found(ok(1)));
    // An index by digest works as by tag.
    assert_eq!(ok(5).digest, fx.prod_amd64);
    assert_eq!(ok(5).index_digest.as_deref(), Some(fx.prod_index.as_str()));
}

// ---------------------------------------------------------------------------------------------
// Credentials

fn htpasswd_registry(storage: &Path) -> (RegistryServer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = rs::htpasswd_file(dir.path(), USER, PASSWORD);
    (RegistryServer::start(storage, Auth::Htpasswd(file)), dir)
}

fn with_auth(auth: AuthConfig) -> RegistryOptions {
    RegistryOptions { auth, ..options() }
}

#[test]
fn basic_auth_with_credentials_from_the_environment() {
    let (open, storage) = RegistryServer::open();
    let fx = rs::push_fixtures(&open.addr);
    let (server, _dir) = htpasswd_registry(storage.path());
    let reference = image(&server.addr, &format!("{PROD_REPO}:{PROD_TAG}"));

    // No credentials: 401, and the message says how to log in.
    let err = fetch(options(), &reference).unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.starts_with(&format!("{}/{PROD_REPO}:{PROD_TAG}: ", server.addr)),
        "{text}"
    );
    assert!(
        text.contains(&format!("docker login {}", server.addr)),
        "{text}"
    );
    assert!(text.contains("MINICHECK_REGISTRY_USER"), "{text}");

    // The environment's credentials.
    let env = AuthConfig {
        username: Some(USER.into()),
        password: Some(PASSWORD.into()),
        ..AuthConfig::default()
    };
    let facts = fetch(with_auth(env.clone()), &reference).expect("facts with credentials");
    assert_eq!(facts.digest, fx.prod_amd64);
    assert_eq!(found(&facts).0, PROD_PACKAGES);

    // Wrong ones: refused, named by where they came from, never shown.
    let wrong = AuthConfig {
        password: Some("not-the-Passw0rd".into()),
        ..env.clone()
    };
    let err = fetch(with_auth(wrong), &reference).unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("refused the credentials from MINICHECK_REGISTRY_USER"),
        "{text}"
    );
    assert_no_secret(&text, &["not-the-Passw0rd", PASSWORD]);

    // Scoped to another registry: not sent here.
    let elsewhere = AuthConfig {
        only_for: Some("reg.example.com".into()),
        ..env
    };
    let err = fetch(with_auth(elsewhere), &reference).unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
}

/// A Docker configuration folder with this `config.json`.
fn docker_config(json: &serde_json::Value) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config.json"), json.to_string()).unwrap();
    dir
}

#[test]
fn basic_auth_with_credentials_from_docker_config_json() {
    let (open, storage) = RegistryServer::open();
    let fx = rs::push_fixtures(&open.addr);
    let (server, _dir) = htpasswd_registry(storage.path());
    let reference = image(&server.addr, &format!("{PROD_REPO}:{DEV_TAG}"));

    let auth = rs::base64(format!("{USER}:{PASSWORD}").as_bytes());
    for entry in [
        serde_json::json!({"auth": auth}),
        serde_json::json!({"username": USER, "password": PASSWORD}),
    ] {
        for key in [server.addr.clone(), format!("http://{}/v2/", server.addr)] {
            let config = docker_config(&serde_json::json!({"auths": {key.clone(): entry.clone()}}));
            let facts = fetch(
                with_auth(AuthConfig {
                    docker_config_dir: Some(config.path().to_path_buf()),
                    ..AuthConfig::default()
                }),
                &reference,
            )
            .unwrap_or_else(|e| panic!("{key} {entry}: {e}"));
            assert_eq!(facts.digest, fx.dev);
            assert_eq!(found(&facts).0, DEV_PACKAGES);
        }
    }

    // Credentials for another registry only: anonymous here, and the message says so.
    let config = docker_config(&serde_json::json!({"auths": {"reg.example.com": {"auth": auth}}}));
    let err = fetch(
        with_auth(AuthConfig {
            docker_config_dir: Some(config.path().to_path_buf()),
            ..AuthConfig::default()
        }),
        &reference,
    )
    .unwrap_err();
    assert!(err.to_string().contains("requires credentials"), "{err}");
}

/// A fake `docker-credential-<name>` that records its argument and stdin and answers with
/// the test credentials for `server` only.
fn credential_helper(dir: &Path, name: &str, server: &str) -> PathBuf {
    let record = dir.join(format!("{name}.log"));
    let script = format!(
        "#!/bin/sh\n\
         input=$(cat)\n\
         printf '%s %s\\n' \"$1\" \"$input\" >> '{}'\n\
         if [ \"$input\" = '{server}' ]; then\n\
           printf '{{\"ServerURL\":\"%s\",\"Username\":\"{USER}\",\"Secret\":\"{PASSWORD}\"}}' \"$input\"\n\
         else\n\
           echo 'credentials not found in native keychain'; exit 1\n\
         fi\n",
        record.display()
    );
    let path = dir.join(format!("docker-credential-{name}"));
    std::fs::write(&path, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    record
}

#[test]
fn credential_helpers_named_in_docker_config_json() {
    let (open, storage) = RegistryServer::open();
    let fx = rs::push_fixtures(&open.addr);
    let (server, _dir) = htpasswd_registry(storage.path());
    let reference = image(&server.addr, &format!("{STATIC_REPO}:latest"));
    let bin = tempfile::tempdir().unwrap();
    let record = credential_helper(bin.path(), "minitest", &server.addr);

    // Three images from the registry at once: its helper runs once.
    let three = [
        reference.clone(),
        image(&server.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
        image(&server.addr, &format!("{PROD_REPO}:{DEV_TAG}")),
    ];
    for config in [
        serde_json::json!({"credHelpers": {server.addr.clone(): "minitest"}}),
        serde_json::json!({"credsStore": "minitest", "auths": {server.addr.clone(): {}}}),
    ] {
        let dir = docker_config(&config);
        let registry = Registry::new(with_auth(AuthConfig {
            docker_config_dir: Some(dir.path().to_path_buf()),
            helper_path: Some(bin.path().as_os_str().to_owned()),
            ..AuthConfig::default()
        }))
        .unwrap();
        let results = block_on(registry.fetch_images(&three));
        let facts: Vec<ImageFacts> = results
            .into_iter()
            .map(|r| r.unwrap_or_else(|e| panic!("{config}: {e}")))
            .collect();
        assert_eq!(facts[0].digest, fx.static_image);
        assert_eq!(facts[1].digest, fx.prod_amd64);
        assert_eq!(facts[2].digest, fx.dev);
    }
    // Run as `get`, with the registry on stdin.
    let calls = std::fs::read_to_string(&record).unwrap();
    assert_eq!(
        calls.lines().collect::<Vec<_>>(),
        [
            format!("get {}", server.addr),
            format!("get {}", server.addr)
        ]
    );

    // A helper that is not installed: anonymous, and the 401 says why.
    let dir = docker_config(&serde_json::json!({"credsStore": "not-installed"}));
    let err = fetch(
        with_auth(AuthConfig {
            docker_config_dir: Some(dir.path().to_path_buf()),
            helper_path: Some(bin.path().as_os_str().to_owned()),
            ..AuthConfig::default()
        }),
        &reference,
    )
    .unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
    assert!(
        err.to_string()
            .contains("docker-credential-not-installed is not installed"),
        "{err}"
    );
}

#[test]
fn bearer_tokens_from_a_token_server_the_registry_verifies() {
    let (open, storage) = RegistryServer::open();
    let fx = rs::push_fixtures(&open.addr);
    let tokens = TokenServer::start(USER, PASSWORD);
    let server = RegistryServer::start(storage.path(), Auth::Token(tokens.config.clone()));

    // Anonymous: the token flow gives a pull token for public repositories.
    let facts = fetch(
        options(),
        &image(&server.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .expect("anonymous token pull");
    assert_eq!(facts.digest, fx.prod_amd64);
    assert_eq!(found(&facts).0, PROD_PACKAGES);
    let requests = tokens.requests();
    assert!(
        requests
            .iter()
            .any(|r| r.scopes == [format!("repository:{PROD_REPO}:pull")]
                && r.service.as_deref() == Some("minicheck-test-registry")
                && r.user.is_none()),
        "{requests:#?}"
    );

    // A private repository: anonymous tokens carry no access to it.
    let private = image(&server.addr, &format!("{PRIVATE_REPO}:1"));
    let err = fetch(options(), &private).unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
    assert!(err.to_string().contains("docker login"), "{err}");

    // With credentials, sent to the token server as Basic auth.
    let env = AuthConfig {
        username: Some(USER.into()),
        password: Some(PASSWORD.into()),
        ..AuthConfig::default()
    };
    let facts = fetch(with_auth(env.clone()), &private).expect("authenticated token pull");
    assert_eq!(facts.digest, fx.private_image);
    assert!(
        tokens
            .requests()
            .iter()
            .any(|r| r.user.as_deref() == Some(USER) && r.status == 200)
    );

    // Wrong credentials: the token server refuses them; no token, no password in the message.
    let wrong = AuthConfig {
        password: Some("wrong-Passw0rd".into()),
        ..env
    };
    let err = fetch(with_auth(wrong), &private).unwrap_err();
    assert!(matches!(err, RegistryError::Unauthorized { .. }), "{err:?}");
    let issued: Vec<String> = tokens
        .requests()
        .into_iter()
        .filter_map(|r| r.token)
        .collect();
    let text = err.to_string();
    let mut secrets: Vec<&str> = issued.iter().map(String::as_str).collect();
    secrets.extend(["wrong-Passw0rd", PASSWORD]);
    assert_no_secret(&text, &secrets);
}

// ---------------------------------------------------------------------------------------------
// Faults

#[test]
fn a_missing_image_is_not_found() {
    let (_server, _storage, _fx, proxy) = open_registry();
    for rest in ["minimus/nothing:1", &format!("{PROD_REPO}:no-such-tag")] {
        let err = fetch(options(), &image(&proxy.addr, rest)).unwrap_err();
        assert!(matches!(err, RegistryError::NotFound { .. }), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("{}/{rest}: not found on", proxy.addr)),
            "{text}"
        );
        assert!(
            text.contains("check the repository, tag and digest"),
            "{text}"
        );
    }
}

#[test]
fn a_rate_limited_request_is_retried() {
    let (_server, _storage, fx, proxy) = open_registry();
    let platform_manifest = format!("/manifests/{}", fx.prod_amd64);
    let limited = Fault::Status {
        status: 429,
        headers: vec![("Retry-After".into(), "1".into())],
        body: r#"{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}"#.into(),
    };
    proxy.add(Some("GET"), &platform_manifest, limited.clone(), Some(1));
    let facts = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .unwrap();
    assert_eq!(facts.digest, fx.prod_amd64);
    // Once refused, once served.
    assert_eq!(proxy.count("GET", &platform_manifest), 2);

    // Limited for good: given up after the retries, and the message says to wait.
    proxy.clear();
    proxy.add(Some("GET"), &platform_manifest, limited, None);
    let err = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .unwrap_err();
    assert!(
        matches!(err, RegistryError::RateLimited { attempts: 3, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("wait a while"), "{err}");
    assert_eq!(proxy.count("GET", &platform_manifest), 3);
}

#[test]
fn server_errors_are_retried_a_bounded_number_of_times() {
    let (_server, _storage, fx, proxy) = open_registry();
    let tag = "/manifests/latest";
    proxy.add(
        Some("GET"),
        tag,
        Fault::Status {
            status: 500,
            headers: vec![],
            body: "internal trouble".into(),
        },
        None,
    );
    let started = Instant::now();
    let err = fetch(
        options(),
        &image(&proxy.addr, &format!("{STATIC_REPO}:latest")),
    )
    .unwrap_err();
    assert!(
        matches!(
            err,
            RegistryError::Server {
                status: 500,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("failed with 500 after 3 attempts"), "{text}");
    assert!(text.contains("internal trouble"), "{text}");
    assert_eq!(proxy.count("GET", tag), 3);
    assert!(started.elapsed() < Duration::from_secs(5));

    // A 503 that clears up is only slower.
    let blob = format!("/blobs/{}", fx.dev_att_blob);
    proxy.add(
        Some("GET"),
        &blob,
        Fault::Status {
            status: 503,
            headers: vec![],
            body: String::new(),
        },
        Some(2),
    );
    let facts = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{DEV_TAG}")),
    )
    .unwrap();
    assert_eq!(found(&facts).0, DEV_PACKAGES);
    assert_eq!(proxy.count("GET", &blob), 3);
}

#[test]
fn a_truncated_body_is_invalid() {
    let (_server, _storage, fx, proxy) = open_registry();
    proxy.add(
        Some("GET"),
        &format!("/manifests/{}", fx.prod_amd64),
        Fault::Truncate,
        None,
    );
    let err = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .unwrap_err();
    assert!(matches!(err, RegistryError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("cut short"), "{err}");

    // A truncated SBOM blob does not fail the image: its SBOM is Failed, its size is known.
    proxy.add(
        Some("GET"),
        &format!("/blobs/{}", fx.dev_att_blob),
        Fault::Truncate,
        None,
    );
    let facts = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{DEV_TAG}")),
    )
    .unwrap();
    assert_eq!(facts.compressed_size, sum(&DEV_LAYERS));
    match &facts.sbom {
        SbomOutcome::Failed(why) => assert!(why.contains("cut short"), "{why}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_manifest_of_the_wrong_media_type_or_digest_is_invalid() {
    let (_server, _storage, fx, proxy) = open_registry();
    for (tag, content_type, body, says) in [
        // The OCI artifact manifest, withdrawn before OCI 1.1.
        (
            "artifact",
            "application/vnd.oci.artifact.manifest.v1+json",
            r#"{"schemaVersion":2,"mediaType":"application/vnd.oci.artifact.manifest.v1+json","artifactType":"application/x-test","blobs":[]}"#,
            "unsupported media type",
        ),
        // Docker schema 1, which old registries still serve.
        (
            "schema1",
            "application/vnd.docker.distribution.manifest.v1+prettyjws",
            r#"{"schemaVersion":1,"name":"minimus/python","tag":"schema1","architecture":"amd64","fsLayers":[],"history":[]}"#,
            "schema 1 is not supported",
        ),
    ] {
        proxy.add(
            Some("GET"),
            &format!("/manifests/{tag}"),
            Fault::Body {
                content_type: content_type.into(),
                body: body.as_bytes().to_vec(),
            },
            None,
        );
        let err = fetch(
            options(),
            &image(&proxy.addr, &format!("{PROD_REPO}:{tag}")),
        )
        .unwrap_err();
        assert!(matches!(err, RegistryError::Invalid { .. }), "{err:?}");
        assert!(err.to_string().contains(says), "{err}");
    }

    // A real artifact (a Helm chart) where an image was asked for.
    let err = fetch(options(), &image(&proxy.addr, "minimus/chart:1")).unwrap_err();
    assert!(matches!(err, RegistryError::Invalid { .. }), "{err:?}");
    assert!(err.to_string().contains("not an image"), "{err}");

    // A valid manifest, but not the one the digest names.
    proxy.add(
        Some("GET"),
        &format!("/manifests/{}", fx.prod_amd64),
        Fault::Body {
            content_type: rs::OCI_MANIFEST.into(),
            body: br#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#.to_vec(),
        },
        None,
    );
    let err = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .unwrap_err();
    assert!(matches!(err, RegistryError::Invalid { .. }), "{err:?}");
    assert!(
        err.to_string().contains("does not match its digest"),
        "{err}"
    );
}

#[test]
fn bodies_over_the_cap_are_refused() {
    let (_server, _storage, fx, proxy) = open_registry();
    // A manifest of 5 MiB, more than the core's 4 MiB, for a tag (by digest, the digest check
    // refuses it first).
    proxy.add(
        Some("GET"),
        &format!("/manifests/{PROD_TAG}"),
        Fault::Huge {
            content_type: rs::OCI_MANIFEST.into(),
            size: 5 * 1024 * 1024,
        },
        Some(1),
    );
    let err = fetch(
        options(),
        &image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .unwrap_err();
    assert!(matches!(err, RegistryError::TooLarge { .. }), "{err:?}");
    assert!(
        err.to_string().contains("larger than the 4194304 bytes"),
        "{err}"
    );

    // An SBOM blob streamed past a 64 KiB cap: the writer stops it; the image is fine.
    proxy.add(
        Some("GET"),
        &format!("/blobs/{}", fx.dev_att_blob),
        Fault::Huge {
            content_type: "application/octet-stream".into(),
            size: 50 * 1024 * 1024,
        },
        None,
    );
    let capped = RegistryOptions {
        max_body: 64 * 1024,
        ..options()
    };
    let started = Instant::now();
    let facts = fetch(
        capped,
        &image(&proxy.addr, &format!("{PROD_REPO}:{DEV_TAG}")),
    )
    .unwrap();
    assert_eq!(facts.compressed_size, sum(&DEV_LAYERS));
    match &facts.sbom {
        SbomOutcome::Failed(why) => assert!(why.contains("larger than the 65536 bytes"), "{why}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(5));

    // A blob whose descriptor is over the cap is not even asked for.
    proxy.clear();
    let tiny = RegistryOptions {
        max_body: 100,
        ..options()
    };
    let facts = fetch(
        tiny,
        &image(&proxy.addr, &format!("{PROD_REPO}:{PROD_TAG}")),
    )
    .unwrap();
    assert!(matches!(&facts.sbom, SbomOutcome::Failed(why) if why.contains("larger than")));
    assert_eq!(
        proxy.count("GET", &format!("/blobs/{}", fx.prod_sbom_blob)),
        0
    );
}

#[test]
fn a_slow_registry_times_out() {
    let (_server, _storage, _fx, proxy) = open_registry();
    proxy.add(
        Some("GET"),
        &format!("/manifests/{DEV_TAG}"),
        Fault::Delay(Duration::from_secs(4)),
        None,
    );
    let quick = RegistryOptions {
        timeout: Duration::from_millis(500),
        ..options()
    };
    let started = Instant::now();
    let err = fetch(
        quick,
        &image(&proxy.addr, &format!("{PROD_REPO}:{DEV_TAG}")),
    )
    .unwrap_err();
    assert!(matches!(err, RegistryError::Timeout { .. }), "{err:?}");
    assert!(
        err.to_string().contains("did not answer within 0.5 s"),
        "{err}"
    );
    assert!(err.to_string().contains("--registry-timeout"), "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn tokens_in_image_paths_are_masked() {
    let (_server, _storage, _fx, proxy) = open_registry();
    let token = "abc123secrettoken";
    let err = fetch(
        options(),
        &image(&proxy.addr, &format!("mini_{token}/go:1")),
    )
    .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(text.contains("mini_*****************/go:1"), "{text}");
    assert_no_secret(&text, &[token]);
}

// ---------------------------------------------------------------------------------------------
// Cache

#[test]
fn a_second_run_is_served_from_the_cache() {
    let (_server, _storage, fx, proxy) = open_registry();
    let cache = tempfile::tempdir().unwrap();
    let cached = || RegistryOptions {
        cache_dir: Some(cache.path().to_path_buf()),
        ..options()
    };
    let a = &proxy.addr;
    let images = vec![
        image(a, &format!("{PROD_REPO}:{PROD_TAG}")),
        image(a, &format!("{PROD_REPO}:{DEV_TAG}")),
        image(a, &format!("{NODE_REPO}:22")),
        image(a, &format!("{PROD_REPO}@{}", fx.prod_index)),
    ];
    let first: Vec<ImageFacts> = block_on(Registry::new(cached()).unwrap().fetch_images(&images))
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    let first_requests = proxy.api_requests();
    assert!(first_requests.len() > 10, "{first_requests:#?}");

    proxy.clear();
    let second: Vec<ImageFacts> = block_on(Registry::new(cached()).unwrap().fetch_images(&images))
        .into_iter()
        .map(|r| r.unwrap())
        .collect();
    for (a, b) in first.iter().zip(&second) {
        assert_eq!(a.digest, b.digest);
        assert_eq!(a.compressed_size, b.compressed_size);
        assert_eq!(found(a), found(b));
    }
    // Tags are resolved again (one HEAD each: they move); nothing else is fetched.
    let mut again = proxy.api_requests();
    again.sort();
    assert_eq!(
        again,
        [
            format!("HEAD /v2/{NODE_REPO}/manifests/22"),
            format!("HEAD /v2/{PROD_REPO}/manifests/{PROD_TAG}"),
            format!("HEAD /v2/{PROD_REPO}/manifests/{DEV_TAG}"),
        ]
    );

    // Without the cache, everything is fetched again.
    proxy.clear();
    block_on(Registry::new(options()).unwrap().fetch_images(&images));
    assert!(proxy.api_requests().len() > 10);
}
