//! Real parts for the registry client's tests, all on loopback:
//!
//! - [`RegistryServer`]: Debian's `docker-registry` (the CNCF distribution registry 2.8) as a
//!   child process, with its storage in a temporary folder, open, behind htpasswd Basic auth,
//!   or behind Bearer tokens it verifies itself; killed on drop (and when the test process dies:
//!   a shell wrapper kills it when its stdin closes).
//! - [`push_fixtures`]: test images pushed through the registry's HTTP API (blob uploads,
//!   manifest PUTs): a multi-platform index with a BuildKit SBOM attestation, a dev image with a
//!   cosign `.att` attestation, an image with a CycloneDX referrer, one without SBOM, an
//!   artifact.
//! - [`TokenServer`]: issues JWTs (RS256, signed with `openssl`, certificate in `x5c`) that the
//!   real registry verifies against the certificate it is configured with.
//! - [`FaultProxy`]: forwards to the real registry, counting requests, and injects what a real
//!   registry will not produce on demand: 429, 500, truncated, wrong, huge and slow answers.
//!
//! HTTP is spoken with std's `TcpStream`, one request per connection (`Connection: close`).

use minicheck_core::oci::sha256_digest;
use serde_json::{Value, json};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
pub const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
const OCI_CONFIG: &str = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
const OCI_EMPTY: &str = "application/vnd.oci.empty.v1+json";

// ---------------------------------------------------------------------------------------------
// Minimal HTTP/1.1

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One request to `addr` (`host:port`); the whole answer.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Response> {
    let mut stream = connect(addr)?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if !body.is_empty() || matches!(method, "POST" | "PUT") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw, method == "HEAD")
}

fn connect(addr: &str) -> io::Result<TcpStream> {
    let socket = addr
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("{addr}: {e}")))?;
    let stream = TcpStream::connect_timeout(&socket, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(20)))?;
    stream.set_write_timeout(Some(Duration::from_secs(20)))?;
    Ok(stream)
}

fn parse_response(raw: &[u8], head_only: bool) -> io::Result<Response> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let end = find(raw, b"\r\n\r\n").ok_or_else(|| bad("no end of headers"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| bad("headers not UTF-8"))?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or("");
    let status = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if head_only {
        return Ok(response);
    }
    let body = if response
        .header("Transfer-Encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        dechunk(rest).ok_or_else(|| bad("bad chunked body"))?
    } else if let Some(len) = response
        .header("Content-Length")
        .and_then(|v| v.parse().ok())
    {
        rest[..rest.len().min(len)].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response { body, ..response })
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = find(data, b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A request as a server reads it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn read_request(stream: &TcpStream) -> io::Result<Request> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    Ok(Request {
        method,
        path,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        401 => "Unauthorized",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// Writes a response head; `content_length` is sent as given (a HEAD answer keeps the GET's).
fn write_head(
    stream: &mut TcpStream,
    status: u16,
    headers: &[(String, String)],
    content_length: Option<usize>,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {status} {}\r\n", reason(status));
    for (k, v) in headers {
        if ["connection", "transfer-encoding", "content-length"]
            .contains(&k.to_ascii_lowercase().as_str())
        {
            continue;
        }
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(len) = content_length {
        head.push_str(&format!("Content-Length: {len}\r\n"));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())
}

fn respond(stream: &mut TcpStream, status: u16, headers: &[(String, String)], body: &[u8]) {
    let _ = write_head(stream, status, headers, Some(body.len()));
    let _ = stream.write_all(body);
    let _ = stream.flush();
}

/// A loopback port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A tiny threaded HTTP server: `handle` answers each request on its own connection.
struct Server {
    addr: String,
    stop: Arc<AtomicBool>,
}

impl Server {
    fn start(handle: impl Fn(Request, &mut TcpStream) + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("address").to_string();
        let stop = Arc::new(AtomicBool::new(false));
        let handle = Arc::new(handle);
        {
            let stop = stop.clone();
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(mut stream) = stream else { continue };
                    let handle = handle.clone();
                    std::thread::spawn(move || {
                        let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
                        if let Ok(request) = read_request(&stream) {
                            handle(request, &mut stream);
                        }
                        let _ = stream.shutdown(Shutdown::Both);
                    });
                }
            });
        }
        Server { addr, stop }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so it sees the flag.
        let _ = TcpStream::connect(&self.addr);
    }
}

// ---------------------------------------------------------------------------------------------
// The registry process

/// How the registry authenticates.
pub enum Auth {
    None,
    /// An htpasswd file (bcrypt).
    Htpasswd(PathBuf),
    /// Bearer tokens from this token server.
    Token(TokenConfig),
}

#[derive(Clone)]
pub struct TokenConfig {
    pub realm: String,
    pub service: String,
    pub issuer: String,
    pub cert: PathBuf,
}

pub struct RegistryServer {
    /// `127.0.0.1:PORT`.
    pub addr: String,
    child: Child,
    stdin: Option<ChildStdin>,
    _dir: tempfile::TempDir,
}

fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .chain([PathBuf::from("/usr/bin"), PathBuf::from("/usr/sbin")])
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

fn registry_binary() -> PathBuf {
    program("docker-registry").unwrap_or_else(|| {
        panic!(
            "docker-registry is not installed: run scripts/setup-and-test, which installs \
             Debian's docker-registry package (the registry these tests run against)"
        )
    })
}

impl RegistryServer {
    /// An open registry with its own empty storage.
    pub fn open() -> (RegistryServer, tempfile::TempDir) {
        let storage = tempfile::tempdir().expect("tempdir");
        let server = RegistryServer::start(storage.path(), Auth::None);
        (server, storage)
    }

    /// Starts `docker-registry serve` on a free loopback port with `storage`, and waits until
    /// `/v2/` answers.
    pub fn start(storage: &Path, auth: Auth) -> RegistryServer {
        let binary = registry_binary();
        let mut last_log = String::new();
        for _ in 0..3 {
            let dir = tempfile::tempdir().expect("tempdir");
            let port = free_port();
            let addr = format!("127.0.0.1:{port}");
            let auth_yaml = match &auth {
                Auth::None => String::new(),
                Auth::Htpasswd(path) => format!(
                    "auth:\n  htpasswd:\n    realm: minicheck-test\n    path: {}\n",
                    path.display()
                ),
                Auth::Token(t) => format!(
                    "auth:\n  token:\n    realm: {}\n    service: {}\n    issuer: {}\n    \
                     rootcertbundle: {}\n",
                    t.realm,
                    t.service,
                    t.issuer,
                    t.cert.display()
                ),
            };
            let config = format!(
                "version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\n\
                 storage:\n  filesystem:\n    rootdirectory: {}\n  delete:\n    enabled: true\n\
                 http:\n  addr: {addr}\n  secret: minicheck-test-secret\n{auth_yaml}",
                storage.display()
            );
            let config_path = dir.path().join("config.yml");
            std::fs::write(&config_path, config).expect("write config");
            let log_path = dir.path().join("registry.log");
            let log = std::fs::File::create(&log_path).expect("log file");
            // The shell kills the registry when its stdin closes: when this value is dropped,
            // or when the test process dies in any way.
            let mut child = Command::new("sh")
                .arg("-c")
                .arg(r#""$0" serve "$1" & pid=$!; read _ignored; kill $pid; wait $pid"#)
                .arg(&binary)
                .arg(&config_path)
                .stdin(Stdio::piped())
                .stdout(log.try_clone().expect("log"))
                .stderr(log)
                .spawn()
                .expect("start docker-registry");
            let stdin = child.stdin.take();
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut up = false;
            while Instant::now() < deadline {
                if let Ok(r) = request(&addr, "GET", "/v2/", &[], b"")
                    && (r.status == 200 || r.status == 401)
                {
                    up = true;
                    break;
                }
                if matches!(child.try_wait(), Ok(Some(_))) {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let server = RegistryServer {
                addr,
                child,
                stdin,
                _dir: dir,
            };
            if up {
                return server;
            }
            last_log = std::fs::read_to_string(&log_path).unwrap_or_default();
            drop(server);
        }
        panic!("docker-registry did not start; its log:\n{last_log}");
    }
}

impl Drop for RegistryServer {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An htpasswd file with one bcrypt entry, made by `htpasswd -Bbn` (apache2-utils).
pub fn htpasswd_file(dir: &Path, user: &str, password: &str) -> PathBuf {
    let htpasswd = program("htpasswd").unwrap_or_else(|| {
        panic!("htpasswd is not installed: run scripts/setup-and-test (Debian's apache2-utils)")
    });
    let out = Command::new(htpasswd)
        .args(["-Bbn", user, password])
        .output()
        .expect("run htpasswd");
    assert!(out.status.success(), "htpasswd failed");
    let path = dir.join("htpasswd");
    std::fs::write(&path, out.stdout).expect("write htpasswd");
    path
}

// ---------------------------------------------------------------------------------------------
// Pushing

/// Uploads a blob (POST then PUT, as `docker push` does); returns its digest.
pub fn push_blob(addr: &str, repo: &str, bytes: &[u8]) -> String {
    let digest = sha256_digest(bytes);
    let start = request(
        addr,
        "POST",
        &format!("/v2/{repo}/blobs/uploads/"),
        &[],
        b"",
    )
    .expect("start upload");
    assert_eq!(start.status, 202, "upload start: {start:?}");
    let location = start.header("Location").expect("Location").to_string();
    let path = match location.find("/v2/") {
        Some(i) => location[i..].to_string(),
        None => location,
    };
    let sep = if path.contains('?') { '&' } else { '?' };
    let put = request(
        addr,
        "PUT",
        &format!("{path}{sep}digest={digest}"),
        &[("Content-Type", "application/octet-stream")],
        bytes,
    )
    .expect("upload");
    assert_eq!(
        put.status,
        201,
        "upload: {}",
        String::from_utf8_lossy(&put.body)
    );
    digest
}

/// PUTs a manifest under `reference` (a tag or its digest); returns its digest.
pub fn push_manifest(
    addr: &str,
    repo: &str,
    reference: &str,
    media_type: &str,
    bytes: &[u8],
) -> String {
    let r = request(
        addr,
        "PUT",
        &format!("/v2/{repo}/manifests/{reference}"),
        &[("Content-Type", media_type)],
        bytes,
    )
    .expect("put manifest");
    assert_eq!(
        r.status,
        201,
        "manifest {repo}:{reference}: {}",
        String::from_utf8_lossy(&r.body)
    );
    sha256_digest(bytes)
}

/// Deterministic bytes, different per seed.
pub fn bytes(seed: u8, size: usize) -> Vec<u8> {
    (0..size)
        .map(|i| ((i as u64 * 131 + u64::from(seed) * 7919) % 251) as u8)
        .collect()
}

fn descriptor(media_type: &str, bytes: &[u8]) -> Value {
    json!({"mediaType": media_type, "digest": sha256_digest(bytes), "size": bytes.len()})
}

fn to_vec(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).expect("JSON")
}

/// An image manifest with layers of these sizes; pushes its blobs and returns its bytes.
fn image_manifest(addr: &str, repo: &str, seed: u8, arch: &str, layers: &[usize]) -> Vec<u8> {
    let config = to_vec(&json!({
        "architecture": arch, "os": "linux",
        "rootfs": {"type": "layers", "diff_ids": []}, "config": {}
    }));
    push_blob(addr, repo, &config);
    let layers: Vec<Value> = layers
        .iter()
        .enumerate()
        .map(|(i, &size)| {
            let data = bytes(seed.wrapping_add(i as u8), size);
            push_blob(addr, repo, &data);
            descriptor(OCI_LAYER, &data)
        })
        .collect();
    to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, &config), "layers": layers
    }))
}

// ---------------------------------------------------------------------------------------------
// SBOMs and attestations

/// An SPDX 2.3 JSON document with `n` packages (no described package, so all count).
pub fn spdx(name: &str, n: usize) -> Value {
    let packages: Vec<Value> = (0..n)
        .map(|i| {
            json!({
                "name": format!("{name}-pkg-{i}"), "SPDXID": format!("SPDXRef-Package-{i}"),
                "versionInfo": format!("1.{i}"), "downloadLocation": "NOASSERTION",
                "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                    "referenceLocator": format!("pkg:apk/minimos/{name}-pkg-{i}@1.{i}")}]
            })
        })
        .collect();
    json!({
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": name, "documentNamespace": format!("https://example.com/spdx/{name}"),
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: minicheck-test"]},
        "packages": packages
    })
}

/// A CycloneDX 1.6 document with `n` components (and the image as metadata.component).
pub fn cyclonedx(name: &str, n: usize) -> Value {
    let components: Vec<Value> = (0..n)
        .map(|i| {
            json!({"type": "library", "name": format!("{name}-lib-{i}"), "version": format!("2.{i}"),
                   "purl": format!("pkg:npm/{name}-lib-{i}@2.{i}")})
        })
        .collect();
    json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"type": "container", "name": name}},
        "components": components
    })
}

fn statement(predicate_type: &str, predicate: Value, subject_digest: &str) -> Value {
    let hex = subject_digest
        .strip_prefix("sha256:")
        .unwrap_or(subject_digest);
    json!({
        "_type": "https://in-toto.io/Statement/v0.1",
        "subject": [{"name": "image", "digest": {"sha256": hex}}],
        "predicateType": predicate_type, "predicate": predicate
    })
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// URL-safe base64 without padding (JWTs).
pub fn base64url(data: &[u8]) -> String {
    base64(data)
        .trim_end_matches('=')
        .replace('+', "-")
        .replace('/', "_")
}

// ---------------------------------------------------------------------------------------------
// Fixtures

pub const PROD_REPO: &str = "minimus/python";
pub const PROD_TAG: &str = "3.13.5";
pub const DEV_TAG: &str = "3.13.5-dev";
pub const NODE_REPO: &str = "minimus/node";
pub const STATIC_REPO: &str = "minimus/static";
pub const PRIVATE_REPO: &str = "private/app";
pub const CHART_REPO: &str = "minimus/chart";

/// Layer sizes: what the compressed sizes must add up to.
pub const PROD_AMD64_LAYERS: [usize; 2] = [2_000, 500];
pub const PROD_ARM64_LAYERS: [usize; 1] = [2_100];
pub const DEV_LAYERS: [usize; 3] = [20_000, 1_500, 700];
pub const NODE_LAYERS: [usize; 2] = [3_000, 300];
pub const STATIC_LAYERS: [usize; 1] = [1_000];

/// SBOM package counts, as the published figures for python 3.13.5 and its dev twin.
pub const PROD_PACKAGES: usize = 23;
pub const DEV_PACKAGES: usize = 73;
pub const NODE_PACKAGES: usize = 5;

/// What was pushed.
#[derive(Debug, Clone)]
pub struct Fixtures {
    pub prod_index: String,
    pub prod_amd64: String,
    pub prod_arm64: String,
    pub prod_attestation: String,
    /// The blob of the BuildKit SPDX statement.
    pub prod_sbom_blob: String,
    pub dev: String,
    pub dev_att_blob: String,
    pub node: String,
    pub node_referrer: String,
    pub node_sbom_blob: String,
    pub static_image: String,
    pub private_image: String,
}

/// Pushes every fixture image to the open registry at `addr`.
pub fn push_fixtures(addr: &str) -> Fixtures {
    // python:3.13.5: an index of amd64 and arm64 images and a BuildKit attestation manifest
    // (SPDX SBOM and SLSA provenance) for the amd64 image.
    let amd64 = image_manifest(addr, PROD_REPO, 1, "amd64", &PROD_AMD64_LAYERS);
    let prod_amd64 = push_manifest(
        addr,
        PROD_REPO,
        &sha256_digest(&amd64),
        OCI_MANIFEST,
        &amd64,
    );
    let arm64 = image_manifest(addr, PROD_REPO, 11, "arm64", &PROD_ARM64_LAYERS);
    let prod_arm64 = push_manifest(
        addr,
        PROD_REPO,
        &sha256_digest(&arm64),
        OCI_MANIFEST,
        &arm64,
    );
    let sbom_statement = to_vec(&statement(
        "https://spdx.dev/Document",
        spdx("python", PROD_PACKAGES),
        &prod_amd64,
    ));
    let provenance = to_vec(&statement(
        "https://slsa.dev/provenance/v0.2",
        json!({"builder": {"id": "test"}}),
        &prod_amd64,
    ));
    let prod_sbom_blob = push_blob(addr, PROD_REPO, &sbom_statement);
    push_blob(addr, PROD_REPO, &provenance);
    let att_config = to_vec(
        &json!({"architecture": "unknown", "os": "unknown", "config": {},
                                    "rootfs": {"type": "layers", "diff_ids": []}}),
    );
    push_blob(addr, PROD_REPO, &att_config);
    let mut provenance_layer = descriptor("application/vnd.in-toto+json", &provenance);
    provenance_layer["annotations"] =
        json!({"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"});
    let mut sbom_layer = descriptor("application/vnd.in-toto+json", &sbom_statement);
    sbom_layer["annotations"] = json!({"in-toto.io/predicate-type": "https://spdx.dev/Document"});
    let attestation = to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, &att_config),
        "layers": [provenance_layer, sbom_layer]
    }));
    let prod_attestation = push_manifest(
        addr,
        PROD_REPO,
        &sha256_digest(&attestation),
        OCI_MANIFEST,
        &attestation,
    );
    let mut amd64_entry = descriptor(OCI_MANIFEST, &amd64);
    amd64_entry["platform"] = json!({"architecture": "amd64", "os": "linux"});
    let mut arm64_entry = descriptor(OCI_MANIFEST, &arm64);
    arm64_entry["platform"] = json!({"architecture": "arm64", "os": "linux", "variant": "v8"});
    let mut att_entry = descriptor(OCI_MANIFEST, &attestation);
    att_entry["platform"] = json!({"architecture": "unknown", "os": "unknown"});
    att_entry["annotations"] = json!({
        "vnd.docker.reference.digest": prod_amd64,
        "vnd.docker.reference.type": "attestation-manifest"
    });
    let index = to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [amd64_entry, arm64_entry, att_entry]
    }));
    let prod_index = push_manifest(addr, PROD_REPO, PROD_TAG, OCI_INDEX, &index);

    // python:3.13.5-dev: one image, attested by cosign under sha256-<hex>.att (a DSSE envelope
    // around an in-toto statement around an SPDX SBOM).
    let dev_manifest = image_manifest(addr, PROD_REPO, 21, "amd64", &DEV_LAYERS);
    let dev = push_manifest(addr, PROD_REPO, DEV_TAG, OCI_MANIFEST, &dev_manifest);
    let dev_statement = to_vec(&statement(
        "https://spdx.dev/Document",
        spdx("python-dev", DEV_PACKAGES),
        &dev,
    ));
    let envelope = to_vec(&json!({
        "payloadType": "application/vnd.in-toto+json",
        "payload": base64(&dev_statement),
        "signatures": [{"keyid": "", "sig": "MEUCIQDtest"}]
    }));
    let dev_att_blob = push_blob(addr, PROD_REPO, &envelope);
    let cosign_config = to_vec(&json!({"architecture": "", "os": "", "config": {},
        "rootfs": {"type": "layers", "diff_ids": [sha256_digest(&envelope)]}}));
    push_blob(addr, PROD_REPO, &cosign_config);
    let mut dsse_layer = descriptor("application/vnd.dsse.envelope.v1+json", &envelope);
    dsse_layer["annotations"] = json!({"predicateType": "https://spdx.dev/Document",
                                       "dev.cosignproject.cosign/signature": ""});
    let att = to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, &cosign_config), "layers": [dsse_layer]
    }));
    let att_tag = format!("sha256-{}.att", dev.strip_prefix("sha256:").unwrap());
    push_manifest(addr, PROD_REPO, &att_tag, OCI_MANIFEST, &att);

    // node:22: one image with an OCI 1.1 referrer carrying a CycloneDX SBOM, listed under the
    // referrers tag schema (distribution 2.8 has no referrers API).
    let node_manifest = image_manifest(addr, NODE_REPO, 31, "amd64", &NODE_LAYERS);
    let node = push_manifest(addr, NODE_REPO, "22", OCI_MANIFEST, &node_manifest);
    let cdx = to_vec(&cyclonedx("node", NODE_PACKAGES));
    let node_sbom_blob = push_blob(addr, NODE_REPO, &cdx);
    push_blob(addr, NODE_REPO, b"{}");
    let referrer = to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "artifactType": "application/vnd.cyclonedx+json",
        "config": descriptor(OCI_EMPTY, b"{}"),
        "layers": [descriptor("application/vnd.cyclonedx+json", &cdx)],
        "subject": descriptor(OCI_MANIFEST, &node_manifest),
        "annotations": {"org.opencontainers.image.created": "2026-01-01T00:00:00Z"}
    }));
    let node_referrer = push_manifest(
        addr,
        NODE_REPO,
        &sha256_digest(&referrer),
        OCI_MANIFEST,
        &referrer,
    );
    let mut referrer_entry = descriptor(OCI_MANIFEST, &referrer);
    referrer_entry["artifactType"] = json!("application/vnd.cyclonedx+json");
    let referrers = to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [referrer_entry]
    }));
    let referrers_tag = format!("sha256-{}", node.strip_prefix("sha256:").unwrap());
    push_manifest(addr, NODE_REPO, &referrers_tag, OCI_INDEX, &referrers);

    // static:latest: no SBOM anywhere.
    let static_manifest = image_manifest(addr, STATIC_REPO, 41, "amd64", &STATIC_LAYERS);
    let static_image = push_manifest(addr, STATIC_REPO, "latest", OCI_MANIFEST, &static_manifest);

    // private/app:1: for the token server's per-repository policy.
    let private_manifest = image_manifest(addr, PRIVATE_REPO, 51, "amd64", &STATIC_LAYERS);
    let private_image = push_manifest(addr, PRIVATE_REPO, "1", OCI_MANIFEST, &private_manifest);

    // chart:1: an artifact, not an image.
    let chart = bytes(61, 100);
    push_blob(addr, CHART_REPO, &chart);
    let chart_config = b"{\"name\":\"chart\"}".to_vec();
    push_blob(addr, CHART_REPO, &chart_config);
    let chart_manifest = to_vec(&json!({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor("application/vnd.cncf.helm.config.v1+json", &chart_config),
        "layers": [descriptor("application/vnd.cncf.helm.chart.content.v1.tar+gzip", &chart)]
    }));
    push_manifest(addr, CHART_REPO, "1", OCI_MANIFEST, &chart_manifest);

    Fixtures {
        prod_index,
        prod_amd64,
        prod_arm64,
        prod_attestation,
        prod_sbom_blob,
        dev,
        dev_att_blob,
        node,
        node_referrer,
        node_sbom_blob,
        static_image,
        private_image,
    }
}

// ---------------------------------------------------------------------------------------------
// Bearer tokens

/// What the token server was asked.
#[derive(Debug, Clone)]
pub struct TokenRequest {
    pub scopes: Vec<String>,
    pub service: Option<String>,
    /// The Basic user, when credentials were sent.
    pub user: Option<String>,
    pub status: u16,
    /// The token issued (to check it never leaks).
    pub token: Option<String>,
}

/// A token server in the style of Docker's: anonymous pull tokens for every repository but
/// `private/*`, which needs the Basic credentials it was given; wrong credentials are refused.
pub struct TokenServer {
    pub config: TokenConfig,
    pub log: Arc<Mutex<Vec<TokenRequest>>>,
    _server: Server,
    _dir: tempfile::TempDir,
}

impl TokenServer {
    pub fn start(user: &str, password: &str) -> TokenServer {
        let dir = tempfile::tempdir().expect("tempdir");
        let key = dir.path().join("key.pem");
        let cert = dir.path().join("cert.pem");
        let openssl = program("openssl").unwrap_or_else(|| {
            panic!("openssl is not installed: run scripts/setup-and-test (Debian's openssl)")
        });
        let status = Command::new(&openssl)
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            ])
            .args(["-subj", "/CN=minicheck-test-token-issuer", "-keyout"])
            .arg(&key)
            .arg("-out")
            .arg(&cert)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("run openssl req");
        assert!(status.success(), "openssl req failed");
        let der = Command::new(&openssl)
            .args(["x509", "-outform", "DER", "-in"])
            .arg(&cert)
            .output()
            .expect("run openssl x509");
        assert!(der.status.success(), "openssl x509 failed");
        let x5c = base64(&der.stdout);
        let service = "minicheck-test-registry".to_string();
        let issuer = "minicheck-test-issuer".to_string();
        let log = Arc::new(Mutex::new(Vec::new()));
        let expected = format!("Basic {}", base64(format!("{user}:{password}").as_bytes()));
        let user = user.to_string();
        let server = {
            let log = log.clone();
            let service = service.clone();
            let issuer = issuer.clone();
            Server::start(move |request, stream| {
                let query = request.path.split_once('?').map(|(_, q)| q).unwrap_or("");
                let params: Vec<(String, String)> = query
                    .split('&')
                    .filter_map(|p| p.split_once('='))
                    .map(|(k, v)| (k.to_string(), percent_decode(v)))
                    .collect();
                let scopes: Vec<String> = params
                    .iter()
                    .filter(|(k, _)| k == "scope")
                    .flat_map(|(_, v)| v.split(' ').map(str::to_string).collect::<Vec<_>>())
                    .collect();
                let authorization = request.header("Authorization").map(str::to_string);
                let authenticated = authorization.as_deref() == Some(expected.as_str());
                let mut entry = TokenRequest {
                    scopes: scopes.clone(),
                    service: params
                        .iter()
                        .find(|(k, _)| k == "service")
                        .map(|(_, v)| v.clone()),
                    user: authorization.as_ref().map(|_| {
                        if authenticated {
                            user.clone()
                        } else {
                            "<wrong>".to_string()
                        }
                    }),
                    status: 200,
                    token: None,
                };
                if authorization.is_some() && !authenticated {
                    entry.status = 401;
                    log.lock().unwrap().push(entry);
                    respond(
                        stream,
                        401,
                        &[],
                        b"{\"details\":\"incorrect username or password\"}",
                    );
                    return;
                }
                let access: Vec<Value> = scopes
                    .iter()
                    .filter_map(|s| {
                        let mut parts = s.splitn(3, ':');
                        let (kind, name, _) = (parts.next()?, parts.next()?, parts.next()?);
                        (kind == "repository" && (authenticated || !name.starts_with("private/")))
                            .then(
                                || json!({"type": "repository", "name": name, "actions": ["pull"]}),
                            )
                    })
                    .collect();
                let token = sign_jwt(&openssl, &key, &x5c, &issuer, &service, &access);
                entry.token = Some(token.clone());
                log.lock().unwrap().push(entry);
                let body =
                    to_vec(&json!({"token": token, "access_token": token, "expires_in": 300}));
                respond(
                    stream,
                    200,
                    &[("Content-Type".to_string(), "application/json".to_string())],
                    &body,
                );
            })
        };
        TokenServer {
            config: TokenConfig {
                realm: format!("http://{}/token", server.addr),
                service,
                issuer,
                cert,
            },
            log,
            _server: server,
            _dir: dir,
        }
    }

    pub fn requests(&self) -> Vec<TokenRequest> {
        self.log.lock().unwrap().clone()
    }
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(if b[i] == b'+' { b' ' } else { b[i] });
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A JWT the distribution registry accepts: RS256 over `header.claims`, the certificate in
/// `x5c`, issuer and audience as configured.
fn sign_jwt(
    openssl: &Path,
    key: &Path,
    x5c: &str,
    issuer: &str,
    service: &str,
    access: &[Value],
) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    let header = to_vec(&json!({"typ": "JWT", "alg": "RS256", "x5c": [x5c]}));
    let claims = to_vec(&json!({
        "iss": issuer, "sub": "minicheck-test", "aud": service,
        "exp": now + 300, "nbf": now - 10, "iat": now,
        "jti": format!("{now}-{}", access.len()), "access": access
    }));
    let signing_input = format!("{}.{}", base64url(&header), base64url(&claims));
    let mut child = Command::new(openssl)
        .args(["dgst", "-sha256", "-sign"])
        .arg(key)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run openssl dgst");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(signing_input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("openssl dgst");
    assert!(out.status.success(), "openssl dgst failed");
    format!("{signing_input}.{}", base64url(&out.stdout))
}

// ---------------------------------------------------------------------------------------------
// Fault proxy

/// What the proxy does instead of forwarding.
#[derive(Debug, Clone)]
pub enum Fault {
    /// Answer with this status, headers and body.
    Status {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
    },
    /// Forward, then send the head with the full length but only half the body, and close.
    Truncate,
    /// Wait, then forward.
    Delay(Duration),
    /// Answer 200 with this body (no digest header).
    Body { content_type: String, body: Vec<u8> },
    /// Answer 200 with a body of this many bytes, streamed until the client stops reading.
    Huge { content_type: String, size: usize },
    /// Serve the OCI 1.1 referrers API from the referrers tag schema, as a registry that has
    /// the API would answer.
    Referrers,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub method: Option<&'static str>,
    /// Matches when the request path contains this.
    pub path: String,
    pub fault: Fault,
    /// How many times it applies; `None`: always.
    pub times: Option<usize>,
}

/// One request the proxy saw, and the status it answered.
#[derive(Debug, Clone)]
pub struct Logged {
    pub method: String,
    pub path: String,
    pub status: u16,
}

pub struct FaultProxy {
    /// `127.0.0.1:PORT`: point images at this.
    pub addr: String,
    log: Arc<Mutex<Vec<Logged>>>,
    rules: Arc<Mutex<Vec<Rule>>>,
    _server: Server,
}

impl FaultProxy {
    pub fn start(upstream: &str) -> FaultProxy {
        let log: Arc<Mutex<Vec<Logged>>> = Arc::default();
        let rules: Arc<Mutex<Vec<Rule>>> = Arc::default();
        let upstream = upstream.to_string();
        let server = {
            let log = log.clone();
            let rules = rules.clone();
            Server::start(move |request, stream| {
                let fault = {
                    let mut rules = rules.lock().unwrap();
                    let hit = rules.iter_mut().find(|r| {
                        r.method.is_none_or(|m| m == request.method)
                            && request.path.contains(&r.path)
                            && r.times != Some(0)
                    });
                    hit.map(|r| {
                        if let Some(t) = r.times.as_mut() {
                            *t -= 1;
                        }
                        r.fault.clone()
                    })
                };
                let status = serve(&upstream, &request, fault, stream);
                log.lock().unwrap().push(Logged {
                    method: request.method.clone(),
                    path: request.path.clone(),
                    status,
                });
            })
        };
        FaultProxy {
            addr: server.addr.clone(),
            log,
            rules,
            _server: server,
        }
    }

    pub fn add(
        &self,
        method: Option<&'static str>,
        path: &str,
        fault: Fault,
        times: Option<usize>,
    ) {
        self.rules.lock().unwrap().push(Rule {
            method,
            path: path.to_string(),
            fault,
            times,
        });
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Logged> {
        self.log.lock().unwrap().clone()
    }

    /// Requests other than oci-client's `GET /v2/` probes, as `METHOD path`.
    pub fn api_requests(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|r| r.path != "/v2/")
            .map(|r| format!("{} {}", r.method, r.path))
            .collect()
    }

    pub fn count(&self, method: &str, path_contains: &str) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.method == method && r.path.contains(path_contains))
            .count()
    }

    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

fn forward(upstream: &str, request: &Request) -> io::Result<Response> {
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(k, _)| {
            !["host", "connection", "content-length"].contains(&k.to_ascii_lowercase().as_str())
        })
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    request_raw(
        upstream,
        &request.method,
        &request.path,
        &headers,
        &request.body,
    )
}

fn request_raw(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> io::Result<Response> {
    request(addr, method, path, headers, body)
}

/// Answers one request; returns the status sent.
fn serve(upstream: &str, request: &Request, fault: Option<Fault>, stream: &mut TcpStream) -> u16 {
    let head_only = request.method == "HEAD";
    let pass = |response: io::Result<Response>, stream: &mut TcpStream| -> u16 {
        match response {
            Ok(r) => {
                if head_only {
                    let len = r.header("Content-Length").and_then(|v| v.parse().ok());
                    let _ = write_head(stream, r.status, &r.headers, len);
                } else {
                    respond(stream, r.status, &r.headers, &r.body);
                }
                r.status
            }
            Err(_) => {
                respond(stream, 502, &[], b"bad gateway");
                502
            }
        }
    };
    match fault {
        None => pass(forward(upstream, request), stream),
        Some(Fault::Status {
            status,
            headers,
            body,
        }) => {
            respond(stream, status, &headers, body.as_bytes());
            status
        }
        Some(Fault::Delay(wait)) => {
            std::thread::sleep(wait);
            pass(forward(upstream, request), stream)
        }
        Some(Fault::Truncate) => match forward(upstream, request) {
            Ok(r) => {
                let _ = write_head(stream, r.status, &r.headers, Some(r.body.len()));
                let _ = stream.write_all(&r.body[..r.body.len() / 2]);
                let _ = stream.flush();
                r.status
            }
            Err(_) => pass(Err(io::Error::other("upstream")), stream),
        },
        Some(Fault::Body { content_type, body }) => {
            respond(stream, 200, &[("Content-Type".into(), content_type)], &body);
            200
        }
        Some(Fault::Huge { content_type, size }) => {
            let _ = write_head(
                stream,
                200,
                &[("Content-Type".into(), content_type)],
                Some(size),
            );
            let chunk = vec![b' '; 64 * 1024];
            let mut sent = 0;
            while sent < size {
                let n = chunk.len().min(size - sent);
                if stream.write_all(&chunk[..n]).is_err() {
                    break;
                }
                sent += n;
            }
            200
        }
        Some(Fault::Referrers) => {
            // /v2/<repo>/referrers/<alg>:<hex>[?...] -> the tag <alg>-<hex>
            let path = request.path.split('?').next().unwrap_or("");
            let Some((repo_part, digest)) = path.split_once("/referrers/") else {
                return pass(forward(upstream, request), stream);
            };
            let tag = digest.replace(':', "-");
            let answer = request_raw(
                upstream,
                "GET",
                &format!("{repo_part}/manifests/{tag}"),
                &request
                    .headers
                    .iter()
                    .filter(|(k, _)| k.eq_ignore_ascii_case("authorization"))
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .chain([("Accept", OCI_INDEX)])
                    .collect::<Vec<_>>(),
                b"",
            );
            let body = match answer {
                Ok(r) if r.status == 200 => r.body,
                Ok(r) if r.status == 404 => {
                    to_vec(&json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": []}))
                }
                other => return pass(other, stream),
            };
            respond(
                stream,
                200,
                &[("Content-Type".into(), OCI_INDEX.into())],
                &body,
            );
            200
        }
    }
}
