//! Registry credentials: `MINICHECK_REGISTRY_USER` / `MINICHECK_REGISTRY_PASSWORD`, then
//! Docker's `config.json` (`credHelpers`, `credsStore`, `auths`), as `docker login` leaves
//! them. Nothing found means anonymous pulls (registries still hand out anonymous tokens).

use serde::Deserialize;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// How long a credential helper may take.
const HELPER_TIMEOUT: Duration = Duration::from_secs(10);
/// Docker Hub's key in `config.json` and its credential helpers' server URL.
const DOCKER_HUB_SERVER: &str = "https://index.docker.io/v1/";

/// Where credentials come from. [`AuthConfig::from_env`] reads the process environment; tests
/// build one by hand.
#[derive(Clone, Default)]
pub struct AuthConfig {
    /// `MINICHECK_REGISTRY_USER`.
    pub username: Option<String>,
    /// `MINICHECK_REGISTRY_PASSWORD`.
    pub password: Option<String>,
    /// `MINICHECK_REGISTRY_HOST`: when set, the two above are used for this registry only
    /// (`host[:port]`); otherwise for every registry.
    pub only_for: Option<String>,
    /// The folder of Docker's `config.json`: `$DOCKER_CONFIG`, else `~/.docker`.
    pub docker_config_dir: Option<PathBuf>,
    /// Where `docker-credential-*` helpers are looked for: `$PATH`.
    pub helper_path: Option<OsString>,
}

impl fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthConfig")
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("only_for", &self.only_for)
            .field("docker_config_dir", &self.docker_config_dir)
            .finish_non_exhaustive()
    }
}

impl AuthConfig {
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        AuthConfig {
            username: var("MINICHECK_REGISTRY_USER"),
            password: var("MINICHECK_REGISTRY_PASSWORD"),
            only_for: var("MINICHECK_REGISTRY_HOST"),
            docker_config_dir: std::env::var_os("DOCKER_CONFIG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| home_dir().map(|h| h.join(".docker"))),
            helper_path: std::env::var_os("PATH"),
        }
    }
}

pub(crate) fn home_dir() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .filter(|h| !h.is_empty())
        .map(PathBuf::from)
}

/// A username and password, and where they came from (for messages; never the secret).
pub(crate) struct Credentials {
    pub username: String,
    pub password: String,
    pub source: String,
}

/// The outcome of a lookup: credentials, and why configured ones could not be used.
#[derive(Default)]
pub(crate) struct Found {
    pub credentials: Option<Credentials>,
    pub note: Option<String>,
}

#[derive(Deserialize, Default)]
struct DockerConfig {
    #[serde(default)]
    auths: BTreeMap<String, AuthEntry>,
    #[serde(default, rename = "credHelpers")]
    cred_helpers: BTreeMap<String, String>,
    #[serde(default, rename = "credsStore")]
    creds_store: Option<String>,
}

#[derive(Deserialize, Default)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    password: Option<String>,
    #[serde(default, rename = "identitytoken")]
    identity_token: Option<String>,
}

/// The credentials for `registry` (as references name it: `reg.example.com`, `localhost:5000`,
/// `docker.io`).
pub(crate) fn lookup(config: &AuthConfig, registry: &str) -> Found {
    if let (Some(username), Some(password)) = (&config.username, &config.password) {
        let applies = config.only_for.as_deref().is_none_or(|only| {
            let only = super::client::normalize_host(only);
            hostnames(registry).contains(&only)
        });
        if applies {
            return Found {
                credentials: Some(Credentials {
                    username: username.clone(),
                    password: password.clone(),
                    source: "MINICHECK_REGISTRY_USER and MINICHECK_REGISTRY_PASSWORD".to_string(),
                }),
                note: None,
            };
        }
    }
    let Some(dir) = &config.docker_config_dir else {
        return Found::default();
    };
    let path = dir.join("config.json");
    let text = match std::fs::read(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::default(),
        Err(e) => {
            return Found {
                credentials: None,
                note: Some(format!("cannot read {}: {e}", path.display())),
            };
        }
    };
    let docker: DockerConfig = match serde_json::from_slice(&text) {
        Ok(c) => c,
        Err(e) => {
            return Found {
                credentials: None,
                note: Some(format!("cannot read {}: {e}", path.display())),
            };
        }
    };
    from_docker_config(&docker, &path, config.helper_path.as_deref(), registry)
}

/// The names a registry may be filed under in `config.json`, after Docker's normalisation.
fn hostnames(registry: &str) -> Vec<String> {
    let r = registry.to_ascii_lowercase();
    match r.as_str() {
        "docker.io" | "index.docker.io" | "registry-1.docker.io" => vec![
            "index.docker.io".to_string(),
            "docker.io".to_string(),
            "registry-1.docker.io".to_string(),
        ],
        _ => vec![r],
    }
}

/// A `config.json` key as Docker reads it: scheme and path dropped
/// (`https://index.docker.io/v1/` is `index.docker.io`).
fn key_hostname(key: &str) -> String {
    let k = key.trim();
    let k = k
        .strip_prefix("http://")
        .or_else(|| k.strip_prefix("https://"))
        .unwrap_or(k);
    k.split('/').next().unwrap_or("").to_ascii_lowercase()
}

fn from_docker_config(
    docker: &DockerConfig,
    path: &Path,
    helper_path: Option<&std::ffi::OsStr>,
    registry: &str,
) -> Found {
    let names = hostnames(registry);
    let matches = |key: &str| names.contains(&key_hostname(key));
    let server = if names[0] == "index.docker.io" {
        DOCKER_HUB_SERVER.to_string()
    } else {
        registry.to_string()
    };
    let mut note = None;

    let helper = docker
        .cred_helpers
        .iter()
        .find(|(key, _)| matches(key))
        .map(|(_, helper)| (helper.as_str(), "credHelpers"))
        .or_else(|| {
            docker
                .creds_store
                .as_deref()
                .filter(|s| !s.is_empty())
                .map(|s| (s, "credsStore"))
        });
    if let Some((helper, field)) = helper {
        match run_helper(helper, &server, helper_path) {
            Ok(Some((username, password))) => {
                return Found {
                    credentials: Some(Credentials {
                        username,
                        password,
                        source: format!(
                            "docker-credential-{helper} ({field} in {})",
                            path.display()
                        ),
                    }),
                    note: None,
                };
            }
            Ok(None) => {}
            Err(problem) => note = Some(problem),
        }
    }

    if let Some((_, entry)) = docker.auths.iter().find(|(key, _)| matches(key)) {
        let pair = match (&entry.username, &entry.password, &entry.auth) {
            (Some(u), Some(p), _) if !u.is_empty() && !p.is_empty() => Some((u.clone(), p.clone())),
            (_, _, Some(auth)) if !auth.is_empty() => match decode_auth(auth) {
                Some(pair) => Some(pair),
                None => {
                    note = Some(format!(
                        "the auths entry for {registry} in {} is not base64 of user:password",
                        path.display()
                    ));
                    None
                }
            },
            _ => None,
        };
        if let Some((username, password)) = pair {
            return Found {
                credentials: Some(Credentials {
                    username,
                    password,
                    source: format!("{} (auths)", path.display()),
                }),
                note,
            };
        }
        if entry
            .identity_token
            .as_deref()
            .is_some_and(|t| !t.is_empty())
        {
            note = Some(format!(
                "the identity token for {registry} in {} is not supported; set \
                 MINICHECK_REGISTRY_USER and MINICHECK_REGISTRY_PASSWORD instead",
                path.display()
            ));
        }
    }
    Found {
        credentials: None,
        note,
    }
}

/// `user:password` from a `config.json` `auth` field.
fn decode_auth(auth: &str) -> Option<(String, String)> {
    let bytes = base64_decode(auth.trim())?;
    let text = String::from_utf8(bytes).ok()?;
    let (user, password) = text.split_once(':')?;
    (!user.is_empty() && !password.is_empty()).then(|| {
        (
            user.to_string(),
            password.trim_end_matches('\n').to_string(),
        )
    })
}

/// Standard base64 (padding optional; `-` and `_` accepted as well), or `None`.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 || body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    for chunk in body.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

/// What a credential helper answers to `get`.
#[derive(Deserialize)]
struct HelperAnswer {
    #[serde(rename = "Username", default)]
    username: String,
    #[serde(rename = "Secret", default)]
    secret: String,
}

/// Runs `docker-credential-<helper> get` with `server` on stdin. `Ok(None)`: it has nothing
/// for this server. `Err`: it could not be run or answered nonsense (the text says which,
/// never the secret).
fn run_helper(
    helper: &str,
    server: &str,
    search_path: Option<&std::ffi::OsStr>,
) -> Result<Option<(String, String)>, String> {
    let name = format!("docker-credential-{helper}");
    if helper.is_empty()
        || !helper
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(format!("{name:?} is not a credential helper name"));
    }
    let program = find_program(&name, search_path)
        .ok_or_else(|| format!("the credential helper {name} is not installed (not on PATH)"))?;
    let mut child = Command::new(&program)
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run {name}: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // Docker writes the server URL without a newline.
        let _ = stdin.write_all(server.as_bytes());
    }
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.by_ref().take(1024 * 1024).read_to_end(&mut out);
        let _ = send.send(out);
    });
    let output = match receive.recv_timeout(HELPER_TIMEOUT) {
        Ok(out) => out,
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return Err(format!(
                "{name} did not answer within {} s",
                HELPER_TIMEOUT.as_secs()
            ));
        }
    };
    let status = child.wait().map_err(|e| format!("{name}: {e}"))?;
    if !status.success() {
        let text = String::from_utf8_lossy(&output);
        if text.to_ascii_lowercase().contains("not found") {
            return Ok(None);
        }
        let first = text.lines().next().unwrap_or("").trim();
        return Err(format!("{name} failed ({status}): {first}"));
    }
    let answer: HelperAnswer = serde_json::from_slice(&output)
        .map_err(|_| format!("{name} answered something other than its JSON"))?;
    if answer.username == "<token>" {
        return Err(format!(
            "{name} holds an identity token for {server}, which minicheck cannot use; set \
             MINICHECK_REGISTRY_USER and MINICHECK_REGISTRY_PASSWORD instead"
        ));
    }
    if answer.username.is_empty() || answer.secret.is_empty() {
        return Ok(None);
    }
    Ok(Some((answer.username, answer.secret)))
}

fn find_program(name: &str, search_path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let path = search_path?;
    std::env::split_paths(path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .flat_map(|dir| {
            let plain = dir.join(name);
            let exe = dir.join(format!("{name}.exe"));
            [plain, exe]
        })
        .find(|candidate| is_executable(candidate))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(base64_decode("dXNlcjpwYXNz").unwrap(), b"user:pass");
        assert_eq!(base64_decode("YQ==").unwrap(), b"a");
        assert_eq!(base64_decode("YQ").unwrap(), b"a");
        assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
        assert_eq!(base64_decode("").unwrap(), b"");
        assert!(base64_decode("Y").is_none());
        assert!(base64_decode("YQ===").is_none());
        assert!(base64_decode("a b=").is_none());
        assert_eq!(
            decode_auth("dXNlcjpwOmFzcw==").unwrap(),
            ("user".into(), "p:ass".into())
        );
        assert!(decode_auth("dXNlcg==").is_none());
    }

    #[test]
    fn config_keys() {
        assert_eq!(
            key_hostname("https://index.docker.io/v1/"),
            "index.docker.io"
        );
        assert_eq!(
            key_hostname("http://Reg.Example.com:5000"),
            "reg.example.com:5000"
        );
        assert_eq!(key_hostname("ghcr.io"), "ghcr.io");
        assert!(hostnames("docker.io").contains(&"index.docker.io".to_string()));
    }

    fn config(json: &str) -> DockerConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn auths_entries() {
        let c = config(
            r#"{"auths": {"https://index.docker.io/v1/": {"auth": "aHViOnNlY3JldA=="},
                          "reg.example.com": {"username": "u", "password": "p"},
                          "empty.example.com": {},
                          "id.example.com": {"identitytoken": "x"}}}"#,
        );
        let p = Path::new("/x/config.json");
        let hub = from_docker_config(&c, p, None, "docker.io")
            .credentials
            .unwrap();
        assert_eq!(
            (hub.username.as_str(), hub.password.as_str()),
            ("hub", "secret")
        );
        assert_eq!(hub.source, "/x/config.json (auths)");
        let reg = from_docker_config(&c, p, None, "reg.example.com")
            .credentials
            .unwrap();
        assert_eq!((reg.username.as_str(), reg.password.as_str()), ("u", "p"));
        assert!(
            from_docker_config(&c, p, None, "empty.example.com")
                .credentials
                .is_none()
        );
        let id = from_docker_config(&c, p, None, "id.example.com");
        assert!(id.credentials.is_none());
        assert!(id.note.unwrap().contains("identity token"));
    }

    #[test]
    fn a_missing_helper_is_a_note_not_a_crash() {
        let c = config(r#"{"credsStore": "nonexistent-minicheck-helper"}"#);
        let found = from_docker_config(
            &c,
            Path::new("c.json"),
            Some("".as_ref()),
            "reg.example.com",
        );
        assert!(found.credentials.is_none());
        assert!(found.note.unwrap().contains("not installed"));
        let bad = config(r#"{"credsStore": "../evil"}"#);
        let found = from_docker_config(&bad, Path::new("c.json"), None, "reg.example.com");
        assert!(found.note.unwrap().contains("not a credential helper name"));
    }

    #[test]
    fn environment_wins_and_may_be_scoped() {
        let auth = AuthConfig {
            username: Some("env".into()),
            password: Some("pw".into()),
            ..AuthConfig::default()
        };
        let found = lookup(&auth, "reg.example.com").credentials.unwrap();
        assert_eq!(found.username, "env");
        let scoped = AuthConfig {
            only_for: Some("other.example.com".into()),
            ..auth.clone()
        };
        assert!(lookup(&scoped, "reg.example.com").credentials.is_none());
        let hub = AuthConfig {
            only_for: Some("docker.io".into()),
            ..auth
        };
        assert!(lookup(&hub, "docker.io").credentials.is_some());
        assert!(!format!("{hub:?}").contains("pw"));
    }
}
