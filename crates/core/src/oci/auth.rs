//! Registry authentication: reading `WWW-Authenticate` challenges, the token URL a client calls
//! for a Bearer challenge, and the token endpoint's answer.
//!
//! The flow every host follows (Docker's token authentication, which every public registry
//! speaks): a request answered `401` carries `WWW-Authenticate`; [`parse_www_authenticate`]
//! reads it and [`bearer_challenge`] picks the Bearer challenge; the host calls `GET`
//! [`token_url`] (with `Authorization: Basic ...` when it has credentials, anonymously
//! otherwise), reads the answer with [`parse_token_response`], and repeats the first request
//! with `Authorization: Bearer <token>`. A `Basic` challenge alone means the registry wants the
//! credentials on every request instead.

use super::OciError;
use super::document::MAX_DOCUMENT_SIZE;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt;

/// How long a token lives when the token endpoint does not say, in seconds (Docker's token
/// specification).
pub const DEFAULT_TOKEN_LIFETIME_SECS: u64 = 60;

/// One challenge of a `WWW-Authenticate` header.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Challenge {
    /// The scheme, lowercased (`bearer`, `basic`, or whatever else the server sent).
    pub scheme: String,
    /// The parameters, names lowercased, values unquoted and unescaped. A repeated name keeps
    /// its first value.
    pub params: BTreeMap<String, String>,
    /// The token68 form some schemes use instead of parameters (`Negotiate abc==`).
    pub token68: Option<String>,
}

impl Challenge {
    /// Parameter `name`, compared case-insensitively.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }

    pub fn is_bearer(&self) -> bool {
        self.scheme == "bearer"
    }

    pub fn is_basic(&self) -> bool {
        self.scheme == "basic"
    }
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn is_ws(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// The challenges of a `WWW-Authenticate` header value, in order (RFC 9110 §11.6.1).
///
/// Several challenges may share one value, separated by commas; parameter values may be tokens
/// or quoted strings with `\` escapes, and may contain commas. Scheme and parameter names are
/// case-insensitive and come back lowercased. Unknown schemes are kept. The parser is lenient
/// where servers are sloppy (a missing comma between parameters, an unterminated quoted string)
/// and skips what it cannot read up to the next comma; it never fails. A host that received
/// several `WWW-Authenticate` headers joins them with `, ` or calls this for each.
pub fn parse_www_authenticate(header: &str) -> Vec<Challenge> {
    let s = header.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    while i < s.len() {
        while i < s.len() && (is_ws(s[i]) || s[i] == b',') {
            i += 1;
        }
        if i >= s.len() {
            break;
        }
        let start = i;
        while i < s.len() && is_tchar(s[i]) {
            i += 1;
        }
        if i == start || next_non_ws(s, i) == Some(b'=') {
            // Not a scheme: garbage, or a parameter without one.
            skip_item(s, &mut i);
            continue;
        }
        if i < s.len() && !is_ws(s[i]) && s[i] != b',' {
            // A scheme glued to something else (`Bearer"x"`).
            skip_item(s, &mut i);
            continue;
        }
        let mut challenge = Challenge {
            scheme: header[start..i].to_ascii_lowercase(),
            ..Challenge::default()
        };
        read_params(header, &mut i, &mut challenge);
        out.push(challenge);
    }
    out
}

/// Reads the token68 or parameters after a scheme, stopping at the start of the next challenge.
fn read_params(header: &str, i: &mut usize, challenge: &mut Challenge) {
    let s = header.as_bytes();
    let mut first = true;
    loop {
        skip_ws(s, i);
        if *i >= s.len() {
            return;
        }
        if s[*i] == b',' {
            while *i < s.len() && (is_ws(s[*i]) || s[*i] == b',') {
                *i += 1;
            }
            if *i >= s.len() {
                return;
            }
            if !is_tchar(s[*i]) {
                skip_item(s, i);
                continue;
            }
            // A token followed by `=` is another parameter; any other token starts the next
            // challenge.
            let mut j = *i;
            while j < s.len() && is_tchar(s[j]) {
                j += 1;
            }
            if next_non_ws(s, j) != Some(b'=') {
                return;
            }
            first = false;
        }
        let word_start = *i;
        while *i < s.len() && (is_tchar(s[*i]) || s[*i] == b'/') {
            *i += 1;
        }
        if *i == word_start {
            skip_item(s, i);
            first = false;
            continue;
        }
        let word = &header[word_start..*i];
        skip_ws(s, i);
        if *i < s.len() && s[*i] == b'=' {
            let mut j = *i;
            while j < s.len() && s[j] == b'=' {
                j += 1;
            }
            let padding = j - *i;
            skip_ws(s, &mut j);
            if first && (j >= s.len() || s[j] == b',') && is_token68(word) {
                challenge.token68 = Some(format!("{word}{}", "=".repeat(padding)));
                *i = j;
                first = false;
                continue;
            }
            *i += 1;
            skip_ws(s, i);
            let value = if *i < s.len() && s[*i] == b'"' {
                quoted_string(s, i)
            } else {
                let v = *i;
                while *i < s.len() && s[*i] != b',' && !is_ws(s[*i]) {
                    *i += 1;
                }
                header[v..*i].to_string()
            };
            if !word.contains('/') {
                challenge
                    .params
                    .entry(word.to_ascii_lowercase())
                    .or_insert(value);
            }
        } else if first && (*i >= s.len() || s[*i] == b',') && is_token68(word) {
            challenge.token68 = Some(word.to_string());
        } else {
            // A bare token where a parameter should be: the next challenge, missing its comma.
            *i = word_start;
            return;
        }
        first = false;
    }
}

fn is_token68(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~+/".contains(&b))
}

fn skip_ws(s: &[u8], i: &mut usize) {
    while *i < s.len() && is_ws(s[*i]) {
        *i += 1;
    }
}

fn next_non_ws(s: &[u8], mut i: usize) -> Option<u8> {
    skip_ws(s, &mut i);
    s.get(i).copied()
}

/// Skips to the next comma outside a quoted string (not consuming it).
fn skip_item(s: &[u8], i: &mut usize) {
    while *i < s.len() && s[*i] != b',' {
        if s[*i] == b'"' {
            quoted_string(s, i);
        } else {
            *i += 1;
        }
    }
}

/// Reads a quoted string starting at the opening quote; an unterminated one runs to the end.
fn quoted_string(s: &[u8], i: &mut usize) -> String {
    let mut out = Vec::new();
    *i += 1;
    while *i < s.len() {
        match s[*i] {
            b'\\' if *i + 1 < s.len() => {
                out.push(s[*i + 1]);
                *i += 2;
            }
            b'"' => {
                *i += 1;
                break;
            }
            b => {
                out.push(b);
                *i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The Bearer challenge among `challenges`, if any: the one to request a token for.
pub fn bearer_challenge(challenges: &[Challenge]) -> Option<&Challenge> {
    challenges.iter().find(|c| c.is_bearer())
}

/// The scope of read access to a repository: `repository:<repository>:pull`.
pub fn pull_scope(repository: &str) -> String {
    format!("repository:{repository}:pull")
}

/// The URL to `GET` for a token: the challenge's `realm` with `service` and one `scope`
/// parameter per scope, percent-encoded. The scopes are `scopes` followed by those of the
/// challenge's own `scope` parameter (space-separated) that are not among them; empty ones are
/// left out. A realm that already has a query keeps it.
///
/// Errors when the challenge is not Bearer, has no realm, or the realm is not an absolute
/// `http(s)` URL made of visible ASCII without a fragment.
pub fn token_url<S: AsRef<str>>(challenge: &Challenge, scopes: &[S]) -> Result<String, OciError> {
    if !challenge.is_bearer() {
        return Err(OciError::Challenge(format!(
            "the registry asks for {:?} authentication, not Bearer",
            challenge.scheme
        )));
    }
    let realm = challenge.param("realm").map(str::trim).unwrap_or("");
    if realm.is_empty() {
        return Err(OciError::Challenge(
            "the Bearer challenge has no realm".to_string(),
        ));
    }
    let lower = realm.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    if host.is_none_or(|h| h.is_empty() || h.starts_with(['/', '?'])) {
        return Err(OciError::Challenge(format!(
            "the realm {realm:?} is not an absolute http(s) URL"
        )));
    }
    if realm
        .bytes()
        .any(|b| !(0x21..=0x7e).contains(&b) || b == b'#')
    {
        return Err(OciError::Challenge(format!(
            "the realm {realm:?} holds white space, a fragment or characters a URL cannot"
        )));
    }
    let mut all_scopes: Vec<&str> = Vec::new();
    let challenge_scopes = challenge
        .param("scope")
        .into_iter()
        .flat_map(|s| s.split([' ', '\t']));
    for scope in scopes.iter().map(AsRef::as_ref).chain(challenge_scopes) {
        let scope = scope.trim();
        if !scope.is_empty() && !all_scopes.contains(&scope) {
            all_scopes.push(scope);
        }
    }
    let mut query: Vec<String> = Vec::new();
    if let Some(service) = challenge.param("service").filter(|s| !s.is_empty()) {
        query.push(format!("service={}", percent_encode(service)));
    }
    for scope in all_scopes {
        query.push(format!("scope={}", percent_encode(scope)));
    }
    let mut url = realm.to_string();
    if !query.is_empty() {
        if !url.contains('?') {
            url.push('?');
        } else if !url.ends_with(['?', '&']) {
            url.push('&');
        }
        url.push_str(&query.join("&"));
    }
    Ok(url)
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A registry token. `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token {
    /// The bearer token, for `Authorization: Bearer <token>`.
    pub token: String,
    /// Seconds the token lives, when the endpoint said ([`DEFAULT_TOKEN_LIFETIME_SECS`]
    /// otherwise).
    pub expires_in: Option<u64>,
    /// When the endpoint says it issued the token (RFC 3339), as sent.
    pub issued_at: Option<String>,
}

impl Token {
    /// Seconds the token lives, with Docker's default of 60 when the endpoint did not say.
    pub fn lifetime_secs(&self) -> u64 {
        self.expires_in.unwrap_or(DEFAULT_TOKEN_LIFETIME_SECS)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("token", &"<redacted>")
            .field("expires_in", &self.expires_in)
            .field("issued_at", &self.issued_at)
            .finish()
    }
}

/// Reads a token endpoint's JSON answer: `token`, or OAuth2's `access_token` when `token` is
/// absent or empty (Docker's specification has registries send both, equal); `expires_in` in
/// seconds, as a number or a numeric string (anything else counts as absent rather than failing
/// the login); `issued_at` as sent.
///
/// The token must be visible ASCII: anything else could not go in an `Authorization` header,
/// and a line break there would let the token inject headers.
pub fn parse_token_response(bytes: &[u8]) -> Result<Token, OciError> {
    if bytes.len() > MAX_DOCUMENT_SIZE {
        return Err(OciError::TokenResponse(format!(
            "{} bytes, more than {MAX_DOCUMENT_SIZE}",
            bytes.len()
        )));
    }
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| OciError::TokenResponse(format!("not JSON: {e}")))?;
    let Some(obj) = value.as_object() else {
        return Err(OciError::TokenResponse("not a JSON object".to_string()));
    };
    let string = |k: &str| obj.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
    let Some(token) = string("token").or_else(|| string("access_token")) else {
        return Err(OciError::TokenResponse(
            "neither \"token\" nor \"access_token\" is a non-empty string".to_string(),
        ));
    };
    if !token.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(OciError::TokenResponse(
            "the token holds characters that cannot go in an Authorization header".to_string(),
        ));
    }
    let expires_in = match obj.get("expires_in") {
        Some(Value::Number(n)) => n.as_u64().or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| f as u64)
        }),
        Some(Value::String(s)) => s.trim().parse().ok(),
        _ => None,
    };
    Ok(Token {
        token: token.to_string(),
        expires_in,
        issued_at: string("issued_at").map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(header: &str) -> Challenge {
        let mut c = parse_www_authenticate(header);
        assert_eq!(c.len(), 1, "{header}: {c:?}");
        c.remove(0)
    }

    #[test]
    fn docker_hub_challenge() {
        let c = one(
            r#"Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull""#,
        );
        assert!(c.is_bearer());
        assert_eq!(c.param("realm"), Some("https://auth.docker.io/token"));
        assert_eq!(c.param("Service"), Some("registry.docker.io"));
        assert_eq!(c.param("scope"), Some("repository:library/python:pull"));
        assert_eq!(c.token68, None);
    }

    #[test]
    fn case_insensitive_names() {
        let c = one(r#"BEARER Realm="r", SERVICE=svc"#);
        assert_eq!(c.scheme, "bearer");
        assert_eq!(c.param("realm"), Some("r"));
        assert_eq!(c.param("service"), Some("svc"));
        // Values keep their case.
        assert_eq!(one("Basic realm=MyRealm").param("realm"), Some("MyRealm"));
    }

    #[test]
    fn quoted_strings() {
        // Commas and `=` inside quotes, escaped quotes and backslashes.
        let c = one(r#"Bearer scope="repository:a:pull,push", realm="say \"hi\" \\ =", x="""#);
        assert_eq!(c.param("scope"), Some("repository:a:pull,push"));
        assert_eq!(c.param("realm"), Some(r#"say "hi" \ ="#));
        assert_eq!(c.param("x"), Some(""));
        // Unterminated: runs to the end.
        assert_eq!(one(r#"Bearer realm="abc"#).param("realm"), Some("abc"));
        // Non-ASCII survives.
        assert_eq!(
            one(r#"Basic realm="café \é""#).param("realm"),
            Some("café é")
        );
    }

    #[test]
    fn several_challenges() {
        let c = parse_www_authenticate(
            r#"Basic realm="basic", Bearer realm="https://a/token",service="s", Negotiate abc+/==, NTLM"#,
        );
        let schemes: Vec<&str> = c.iter().map(|c| c.scheme.as_str()).collect();
        assert_eq!(schemes, ["basic", "bearer", "negotiate", "ntlm"]);
        assert_eq!(c[0].param("realm"), Some("basic"));
        assert_eq!(c[1].param("service"), Some("s"));
        assert_eq!(c[2].token68.as_deref(), Some("abc+/=="));
        assert!(c[3].params.is_empty());
        assert_eq!(
            bearer_challenge(&c).and_then(|c| c.param("realm")),
            Some("https://a/token")
        );
        // Without commas between challenges or parameters.
        let c = parse_www_authenticate(r#"Bearer realm="a" service="b" Basic realm="c""#);
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].param("service"), Some("b"));
        assert_eq!(c[1].param("realm"), Some("c"));
    }

    #[test]
    fn basic_alone_and_first_value_wins() {
        let c = one("Basic");
        assert!(c.is_basic());
        assert!(c.params.is_empty());
        assert!(bearer_challenge(std::slice::from_ref(&c)).is_none());
        let c = one(r#"Bearer realm="first", realm="second""#);
        assert_eq!(c.param("realm"), Some("first"));
    }

    #[test]
    fn garbage() {
        for g in [
            "",
            "   ",
            ",,,",
            "=",
            "\"",
            "\"unterminated",
            "=x, =y",
            "\\",
            "é",
            "realm=\"x\"",
        ] {
            assert!(parse_www_authenticate(g).is_empty(), "{g:?}");
        }
        // Garbage around a good challenge is skipped.
        let c = parse_www_authenticate(r#""junk", Bearer realm="r", "more junk", service="s""#);
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].param("realm"), Some("r"));
        assert_eq!(c[0].param("service"), Some("s"));
        let c = parse_www_authenticate("Bearer\"x\", Basic");
        assert_eq!(c.len(), 1);
        assert!(c[0].is_basic());
    }

    fn bearer(realm: &str, service: Option<&str>, scope: Option<&str>) -> Challenge {
        let mut params = BTreeMap::new();
        params.insert("realm".to_string(), realm.to_string());
        if let Some(s) = service {
            params.insert("service".to_string(), s.to_string());
        }
        if let Some(s) = scope {
            params.insert("scope".to_string(), s.to_string());
        }
        Challenge {
            scheme: "bearer".into(),
            params,
            token68: None,
        }
    }

    #[test]
    fn token_urls() {
        let c = bearer(
            "https://auth.docker.io/token",
            Some("registry.docker.io"),
            Some("repository:library/python:pull"),
        );
        assert_eq!(
            token_url(&c, &[pull_scope("library/python")]).unwrap(),
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fpython%3Apull"
        );
        // Several scopes, the challenge's added after the caller's, duplicates and blanks dropped.
        assert_eq!(
            token_url(&c, &["repository:a/b:pull", " ", "repository:a/b:pull"]).unwrap(),
            "https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Aa%2Fb%3Apull&scope=repository%3Alibrary%2Fpython%3Apull"
        );
        // Space-separated scopes in the challenge; encoding of reserved characters.
        let c = bearer(
            "https://r.example/t?x=1",
            Some("a b&c"),
            Some("repository:x:pull,push repository:y:pull"),
        );
        assert_eq!(
            token_url::<&str>(&c, &[]).unwrap(),
            "https://r.example/t?x=1&service=a%20b%26c&scope=repository%3Ax%3Apull%2Cpush&scope=repository%3Ay%3Apull"
        );
        // Nothing to add.
        assert_eq!(
            token_url::<&str>(&bearer("https://r/t", None, None), &[]).unwrap(),
            "https://r/t"
        );
        assert_eq!(
            token_url(&bearer("HTTP://r/t?", None, None), &["é"]).unwrap(),
            "HTTP://r/t?scope=%C3%A9"
        );
    }

    #[test]
    fn token_url_errors() {
        let basic = one(r#"Basic realm="https://r/t""#);
        assert!(matches!(
            token_url::<&str>(&basic, &[]),
            Err(OciError::Challenge(_))
        ));
        for realm in [
            "",
            "  ",
            "/token",
            "ftp://r/t",
            "https://",
            "https:///x",
            "https://r/t x",
            "https://r/t#f",
            "https://r/\nx",
            "https://ré/t",
            "javascript:alert(1)",
        ] {
            assert!(
                token_url::<&str>(&bearer(realm, None, None), &[]).is_err(),
                "{realm:?}"
            );
        }
        let no_realm = one("Bearer service=x");
        assert!(token_url::<&str>(&no_realm, &[]).is_err());
    }

    #[test]
    fn token_responses() {
        let t = parse_token_response(br#"{"token":"abc","access_token":"abc","expires_in":300,"issued_at":"2024-01-01T00:00:00Z"}"#).unwrap();
        assert_eq!(t.token, "abc");
        assert_eq!(t.expires_in, Some(300));
        assert_eq!(t.issued_at.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert_eq!(t.lifetime_secs(), 300);
        let t = parse_token_response(br#"{"access_token":"xyz"}"#).unwrap();
        assert_eq!(t.token, "xyz");
        assert_eq!(t.expires_in, None);
        assert_eq!(t.lifetime_secs(), 60);
        let t = parse_token_response(br#"{"token":"","access_token":"xyz","expires_in":"120"}"#)
            .unwrap();
        assert_eq!((t.token.as_str(), t.expires_in), ("xyz", Some(120)));
        for (expires, want) in [
            ("59.9", Some(59)),
            ("-5", None),
            ("\"soon\"", None),
            ("null", None),
            ("true", None),
        ] {
            let json = format!(r#"{{"token":"t","expires_in":{expires}}}"#);
            assert_eq!(
                parse_token_response(json.as_bytes()).unwrap().expires_in,
                want,
                "{expires}"
            );
        }
        for bad in [
            &br#"{}"#[..],
            br#"{"token":null}"#,
            br#"{"token":42}"#,
            br#"{"token":""}"#,
            br#"{"token":"a b"}"#,
            br#"{"token":"a\r\nX-Evil: 1"}"#,
            br#"["token"]"#,
            b"token=abc",
            b"",
        ] {
            assert!(
                matches!(parse_token_response(bad), Err(OciError::TokenResponse(_))),
                "{:?}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn token_debug_is_redacted() {
        let t = parse_token_response(br#"{"token":"s3cr3t"}"#).unwrap();
        let shown = format!("{t:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn scopes() {
        assert_eq!(
            pull_scope("library/python"),
            "repository:library/python:pull"
        );
    }
}
