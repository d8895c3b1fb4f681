//! Content digests: the grammar, the registered algorithms, verification, and the tag names
//! cosign and the referrers tag schema derive from a digest.
//!
//! ```text
//! digest     = algorithm ":" encoded
//! algorithm  = component *( separator component )     ; component = 1*[a-z0-9]
//! separator  = "+" / "." / "_" / "-"
//! encoded    = 1*[a-zA-Z0-9=_-]
//! ```
//!
//! The registered algorithms constrain the encoding further: `sha256` is 64 lowercase hex
//! characters, `sha512` 128; `sha384`, which go-digest also registers, 96. Digests of other
//! algorithms (`sha256+b64:...`, `multihash+base58:...`) are valid in a descriptor but cannot be
//! verified: [`verify_digest`] is false for them.

use super::OciError;
use sha2::Digest as _;

/// The registered algorithms, with the length of their hex encoding.
const REGISTERED: [(&str, usize); 3] = [("sha256", 64), ("sha384", 96), ("sha512", 128)];
/// Longest tag a registry accepts.
const TAG_MAX_LEN: usize = 128;

/// Checks that `digest` follows the digest grammar and, for a registered algorithm, has an
/// encoding of the right length and alphabet.
pub fn validate_digest(digest: &str) -> Result<(), OciError> {
    split_digest(digest).map(|_| ())
}

/// Splits a valid digest into its algorithm and encoded parts.
pub fn split_digest(digest: &str) -> Result<(&str, &str), OciError> {
    let bad = |problem: &str| OciError::InvalidDigest {
        digest: digest.to_string(),
        problem: problem.to_string(),
    };
    let Some((algorithm, encoded)) = digest.split_once(':') else {
        return Err(bad(
            "expected algorithm:encoded, e.g. sha256:<64 hex digits>",
        ));
    };
    if algorithm.is_empty() {
        return Err(bad("the algorithm is missing"));
    }
    let component_ok = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if !algorithm.split(['+', '.', '_', '-']).all(component_ok) {
        return Err(bad(
            "the algorithm must be lowercase letters and digits, in parts joined by one of + . _ -",
        ));
    }
    if encoded.is_empty() {
        return Err(bad("the encoded hash is missing"));
    }
    if !encoded
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'=' || b == b'_' || b == b'-')
    {
        return Err(bad(
            "the encoded hash may only hold letters, digits, =, _ and -",
        ));
    }
    let registered = REGISTERED.iter().find(|(a, _)| *a == algorithm);
    if let Some((_, len)) = registered
        && (encoded.len() != *len
            || !encoded
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)))
    {
        return Err(bad(&format!(
            "a {algorithm} digest is {len} lowercase hex digits"
        )));
    }
    Ok((algorithm, encoded))
}

/// Whether `bytes` hash to `digest`. False for a malformed digest and for algorithms other than
/// sha256, sha384 and sha512, which cannot be checked: a host must not accept content it could
/// not verify.
///
/// Hosts verify every manifest and blob they fetch by digest (and a manifest fetched by tag against
/// the `Docker-Content-Digest` header, when the registry sends one); doing it here means the
/// native client and the WebAssembly action verify the same way.
pub fn verify_digest(bytes: &[u8], digest: &str) -> bool {
    let Ok((algorithm, encoded)) = split_digest(digest) else {
        return false;
    };
    let actual = match algorithm {
        "sha256" => hex(&sha2::Sha256::digest(bytes)),
        "sha384" => hex(&sha2::Sha384::digest(bytes)),
        "sha512" => hex(&sha2::Sha512::digest(bytes)),
        _ => return false,
    };
    actual == encoded
}

/// The `sha256:<hex>` digest of `bytes`: what a registry calls a manifest fetched by tag, for a
/// host that got no `Docker-Content-Digest` header.
pub fn sha256_digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex(&sha2::Sha256::digest(bytes)))
}

fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 0xf)] as char);
    }
    s
}

/// The tag cosign stores an image's attestations under: `sha256-<hex>.att`.
///
/// The image digest is the one the attestation was made for: a platform manifest's, or the
/// index's when the whole multi-platform image was attested (cosign's default for a tag).
pub fn cosign_attestation_tag(image_digest: &str) -> Result<String, OciError> {
    cosign_tag(image_digest, "att")
}

/// The tag cosign stores an image's signatures under: `sha256-<hex>.sig`.
pub fn cosign_signature_tag(image_digest: &str) -> Result<String, OciError> {
    cosign_tag(image_digest, "sig")
}

fn cosign_tag(digest: &str, suffix: &str) -> Result<String, OciError> {
    let (algorithm, encoded) = split_digest(digest)?;
    let tag = format!("{algorithm}-{encoded}.{suffix}");
    if !is_valid_tag(&tag) {
        return Err(OciError::InvalidDigest {
            digest: digest.to_string(),
            problem: format!("the cosign tag {tag:?} would not be a valid tag"),
        });
    }
    Ok(tag)
}

/// The tag of the referrers tag schema, which clients read (and write) when a registry answers
/// 404 to `GET /v2/<name>/referrers/<digest>`: `<alg>-<ref>`, `sha256-<hex>` for a sha256 digest.
///
/// Characters a tag cannot hold become `-`, and the algorithm and the encoded hash are cut to 32
/// and 64 characters as the distribution specification's drafts ruled, so the result is always a
/// valid tag; neither rule changes a sha256 digest.
pub fn referrers_tag(digest: &str) -> Result<String, OciError> {
    let (algorithm, encoded) = split_digest(digest)?;
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .take(max)
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect()
    };
    Ok(format!("{}-{}", clean(algorithm, 32), clean(encoded, 64)))
}

/// Whether `tag` is a valid tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
pub fn is_valid_tag(tag: &str) -> bool {
    let b = tag.as_bytes();
    match b.first() {
        Some(c) if c.is_ascii_alphanumeric() || *c == b'_' => {}
        _ => return false,
    }
    b.len() <= TAG_MAX_LEN
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HELLO_SHA256: &str =
        "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824";

    #[test]
    fn grammar() {
        let hex64 = "a".repeat(64);
        assert!(validate_digest(&format!("sha256:{hex64}")).is_ok());
        assert!(validate_digest(&format!("sha512:{}", "0".repeat(128))).is_ok());
        assert!(validate_digest(&format!("sha384:{}", "0".repeat(96))).is_ok());
        // Unregistered algorithms: only the grammar applies.
        assert!(
            validate_digest(
                "sha256+b64:c86f7763873b6c0aae22d963bab59b4f5debbed6685761b5951584f6efb0633b"
            )
            .is_ok()
        );
        assert!(
            validate_digest("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8")
                .is_ok()
        );
        assert!(validate_digest("sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564").is_ok());
        for bad in [
            "",
            "sha256",
            ":abc",
            "sha256:",
            "SHA256:abc",
            "sha256+foo+-b:abc",
            "sha256..x:abc",
            "sha256:abc",
            "sha256:ABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD",
            "sha512:abcd",
            "foo:ab/cd",
            "foo:ab cd",
            "foo:é",
        ] {
            assert!(validate_digest(bad).is_err(), "{bad:?}");
        }
        assert!(validate_digest(&format!("sha256:{}", "a".repeat(65))).is_err());
        assert_eq!(
            split_digest(HELLO_SHA256).unwrap(),
            (
                "sha256",
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
            )
        );
    }

    #[test]
    fn verification() {
        assert!(verify_digest(b"hello", HELLO_SHA256));
        assert!(!verify_digest(b"hello!", HELLO_SHA256));
        assert!(!verify_digest(b"hello", "sha256:nope"));
        assert!(!verify_digest(b"hello", "garbage"));
        assert_eq!(sha256_digest(b"hello"), HELLO_SHA256);
        assert_eq!(
            sha256_digest(b""),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert!(verify_digest(
            b"{}",
            "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        ));
        let sha512_empty = "sha512:cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e";
        assert!(verify_digest(b"", sha512_empty));
        assert!(!verify_digest(b"x", sha512_empty));
        let sha384_empty = "sha384:38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b";
        assert!(verify_digest(b"", sha384_empty));
        // An unregistered algorithm cannot be verified, whatever its value.
        assert!(!verify_digest(
            b"hello",
            "sha256+b64:LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
        ));
    }

    #[test]
    fn cosign_tags() {
        let d = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
        assert_eq!(
            cosign_attestation_tag(d).unwrap(),
            "sha256-732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4.att"
        );
        assert_eq!(
            cosign_signature_tag(d).unwrap(),
            "sha256-732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4.sig"
        );
        assert!(is_valid_tag(&cosign_attestation_tag(d).unwrap()));
        assert!(cosign_attestation_tag("sha256:abc").is_err());
        assert!(cosign_attestation_tag("latest").is_err());
        // sha512 would make a 135-character tag.
        assert!(cosign_attestation_tag(&format!("sha512:{}", "a".repeat(128))).is_err());
    }

    #[test]
    fn referrers_tags() {
        let d = "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";
        assert_eq!(
            referrers_tag(d).unwrap(),
            "sha256-732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4"
        );
        let long = referrers_tag(&format!("sha512:{}", "b".repeat(128))).unwrap();
        assert_eq!(long, format!("sha512-{}", "b".repeat(64)));
        assert!(is_valid_tag(&long));
        assert_eq!(referrers_tag("sha256+b64:ab=").unwrap(), "sha256-b64-ab-");
        assert!(referrers_tag("nope").is_err());
    }

    #[test]
    fn tags() {
        assert!(is_valid_tag("latest"));
        assert!(is_valid_tag("_x.y-z"));
        assert!(is_valid_tag(&"a".repeat(128)));
        assert!(!is_valid_tag(&"a".repeat(129)));
        assert!(!is_valid_tag(""));
        assert!(!is_valid_tag(".x"));
        assert!(!is_valid_tag("a:b"));
    }
}
