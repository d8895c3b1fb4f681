//! Masking credentials that must never reach any output: registry tokens written into image
//! paths (`reg.mini.dev/mini_<token>/go`) and GitHub tokens. Masks keep the text's length, so
//! every span computed on the original still points at the same columns.

use std::borrow::Cow;

/// Token prefixes: Minimus path tokens and GitHub's token formats.
const PREFIXES: [&str; 7] = [
    "mini_",
    "github_pat_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
];

/// How many token characters must follow a prefix before it counts as a token.
const MIN_SECRET_LEN: usize = 6;

fn is_token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The byte ranges of the secret parts (after the prefix) of every token in `text`.
pub fn find_secrets(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let at_word_start = i == 0 || !is_token_char(bytes[i - 1]);
        let prefix = PREFIXES
            .iter()
            .find(|p| at_word_start && bytes[i..].starts_with(p.as_bytes()));
        if let Some(prefix) = prefix {
            let start = i + prefix.len();
            let mut end = start;
            while end < bytes.len() && is_token_char(bytes[end]) {
                end += 1;
            }
            if end - start >= MIN_SECRET_LEN {
                found.push((start, end));
                i = end;
                continue;
            }
        }
        i += 1;
    }
    found
}

/// `text` with every secret replaced by `*` of the same length.
pub fn redact(text: &str) -> Cow<'_, str> {
    let secrets = find_secrets(text);
    if secrets.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for (start, end) in secrets {
        out.push_str(&text[last..start]);
        out.extend(std::iter::repeat_n('*', end - start));
        last = end;
    }
    out.push_str(&text[last..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_tokens_keeping_length() {
        let text = "FROM reg.mini.dev/mini_AbC123xyz789/go:1.23-dev";
        let masked = redact(text);
        assert_eq!(masked, "FROM reg.mini.dev/mini_************/go:1.23-dev");
        assert_eq!(masked.len(), text.len());
        assert_eq!(
            redact("token ghp_0123456789abcdef and github_pat_11AAAA_bbbb"),
            "token ghp_**************** and github_pat_***********"
        );
    }

    #[test]
    fn non_ascii_text_is_safe() {
        assert_eq!(
            redact("\u{FEFF}é ♥ mini_AbC123xyz789 ü"),
            "\u{FEFF}é ♥ mini_************ ü"
        );
        assert!(matches!(redact("FROM é/ü:♥"), Cow::Borrowed(_)));
    }

    #[test]
    fn leaves_ordinary_text_alone() {
        for text in [
            "reg.mini.dev/python:3.13.5-dev",
            "minimus_python",
            "use mini_ only",
            "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "xghp_0123456789abcdef",
        ] {
            assert!(matches!(redact(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
