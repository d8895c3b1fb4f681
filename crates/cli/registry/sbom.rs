//! Finding an image's SBOM: the core's search ([`minicheck_core::oci::search::SbomSearch`])
//! says what to fetch next and reads every answer, in the order the GitHub Action follows too
//! (the platform manifest's referrers, the referrers tag, cosign's `.att` tag, the BuildKit
//! attestation in the index; then the index's referrers and `.att` tag). This module only
//! fetches, through the registry client and its cache.
//!
//! 404s are not problems: an image without attestations is [`SbomOutcome::NotFound`]. Other
//! failures on the way are kept and reported as [`SbomOutcome::Failed`] if nothing was found.

use super::cache::{Cache, Kind, SbomLink};
use super::client::{Fail, Host};
use super::{RegistryOptions, SbomOutcome};
use minicheck_core::oci;
use minicheck_core::oci::search::{Answer, Fetch, SbomSearch, SearchOutcome, Step};
use minicheck_core::redact::redact;
use minicheck_core::sbom::read_sbom;

/// The SBOM of the image manifest `image_digest` (chosen from `index` when there is one).
pub(crate) async fn discover(
    host: &Host,
    cache: Option<&Cache>,
    options: &RegistryOptions,
    repo: &str,
    image_digest: &str,
    index: Option<(&oci::Index, &str)>,
) -> SbomOutcome {
    if let Some(cache) = cache
        && let Some(link) = cache.sbom_link(image_digest)
        && let Some(bytes) = cache.get(Kind::Blob, &link.blob)
        && let Ok(sbom) = read_sbom(&bytes)
    {
        return SbomOutcome::Found {
            sbom,
            source: link.source,
        };
    }
    let mut search = SbomSearch::new(image_digest, index);
    let outcome = loop {
        let fetch = match search.step() {
            Step::Done(outcome) => break outcome,
            Step::Fetch(fetch) => fetch,
        };
        // oci-client does not hand back the Content-Type: the core reads the documents'
        // own mediaType (and the descriptors' for what it found through one).
        let fetched: Result<Option<Vec<u8>>, Fail> = match &fetch {
            Fetch::Referrers { digest } => host.referrers(repo, digest, options).await,
            Fetch::Manifest { reference } if oci::validate_digest(reference).is_ok() => host
                .manifest_by_digest(cache, repo, reference, None, options)
                .await
                .map(Some)
                .or_else(not_found_is_none),
            Fetch::Manifest { reference } => host
                .manifest_at_tag(repo, reference, options)
                .await
                .map(|found| found.map(|(bytes, _)| bytes)),
            Fetch::Blob { descriptor } => host
                .blob(cache, repo, descriptor, options)
                .await
                .map(Some)
                .or_else(not_found_is_none),
        };
        match &fetched {
            Ok(Some(bytes)) => search.answer(Answer::Body {
                bytes,
                content_type: None,
            }),
            Ok(None) => search.answer(Answer::NotFound),
            Err(fail) => {
                let text = fail.clone().describe(host.name(), host);
                search.answer(Answer::Failed(&text));
            }
        }
    };
    match outcome {
        SearchOutcome::Found { sbom, blob, source } => {
            let source = source.label();
            if let Some(cache) = cache {
                cache.put_sbom_link(
                    image_digest,
                    &SbomLink {
                        blob,
                        source: source.to_string(),
                    },
                );
            }
            SbomOutcome::Found {
                sbom,
                source: source.to_string(),
            }
        }
        SearchOutcome::NotFound => SbomOutcome::NotFound,
        SearchOutcome::Failed(problems) => {
            SbomOutcome::Failed(redact(&problems.join("; ")).into_owned())
        }
    }
}

fn not_found_is_none<T>(fail: Fail) -> Result<Option<T>, Fail> {
    match fail {
        Fail::NotFound(_) => Ok(None),
        other => Err(other),
    }
}
