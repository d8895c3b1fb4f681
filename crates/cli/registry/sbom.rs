//! Finding an image's SBOM. For the platform manifest's digest, in this order: the OCI 1.1
//! referrers (the referrers tag schema when the registry has no referrers API), cosign's
//! `sha256-<hex>.att` tag, a BuildKit attestation manifest in the index; then the referrers and
//! the cosign tag of the index's digest (attestations made for the whole multi-platform image).
//! The first SBOM that reads wins. The core says which manifests and blobs may hold one and in
//! which order; the SBOM reader reads them whatever their wrapping (in-toto statement, DSSE
//! envelope, Sigstore bundle, plain document).
//!
//! 404s are not problems: an image without attestations is [`SbomOutcome::NotFound`]. Other
//! failures on the way are kept and reported as [`SbomOutcome::Failed`] if nothing was found.

use super::cache::{Cache, Kind, SbomLink};
use super::client::{Fail, Host};
use super::{RegistryOptions, SbomOutcome};
use minicheck_core::oci::{
    self, AttestationSource, Content, DEFAULT_SBOM_PREFERENCE, Document, Expected, SbomCandidate,
};
use minicheck_core::redact::redact;
use minicheck_core::sbom::{Sbom, read_sbom};
use std::collections::VecDeque;

/// Most manifests and blobs looked at for one image, whatever the registry lists.
const MAX_CANDIDATES: usize = 16;

pub(crate) fn source_name(source: AttestationSource) -> &'static str {
    match source {
        AttestationSource::Referrer => "referrers",
        AttestationSource::CosignTag => "cosign .att tag",
        AttestationSource::BuildKit => "BuildKit attestation",
    }
}

struct Search<'a> {
    host: &'a Host,
    cache: Option<&'a Cache>,
    options: &'a RegistryOptions,
    repo: &'a str,
    problems: Vec<String>,
    budget: usize,
}

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
    let mut search = Search {
        host,
        cache,
        options,
        repo,
        problems: Vec::new(),
        budget: MAX_CANDIDATES,
    };
    let found = search.run(image_digest, index).await;
    match found {
        Some((sbom, blob, source)) => {
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
        None if search.problems.is_empty() => SbomOutcome::NotFound,
        None => SbomOutcome::Failed(redact(&search.problems.join("; ")).into_owned()),
    }
}

impl Search<'_> {
    async fn run(
        &mut self,
        image_digest: &str,
        index: Option<(&oci::Index, &str)>,
    ) -> Option<(Sbom, String, &'static str)> {
        let subjects = std::iter::once(image_digest).chain(index.map(|(_, d)| d));
        for (i, subject) in subjects.enumerate() {
            // 1. OCI 1.1 referrers (or the referrers tag schema).
            match self.host.referrers(self.repo, subject, self.options).await {
                Ok(Some(referrers)) => {
                    let candidates =
                        oci::sbom_candidates_from_referrers(&referrers, DEFAULT_SBOM_PREFERENCE);
                    if let Some(found) = self.first_sbom(candidates).await {
                        return Some(found);
                    }
                }
                Ok(None) => {}
                Err(fail) => self.problem(&format!("the referrers of {subject}"), fail),
            }
            // 2. cosign's attestation tag.
            if let Ok(tag) = oci::cosign_attestation_tag(subject) {
                match self
                    .host
                    .manifest_at_tag(self.repo, &tag, self.options)
                    .await
                {
                    Ok(Some((bytes, _))) => {
                        if let Some(found) = self
                            .in_manifest(&bytes, None, AttestationSource::CosignTag, &tag)
                            .await
                        {
                            return Some(found);
                        }
                    }
                    Ok(None) => {}
                    Err(fail) => self.problem(&format!("the cosign tag {tag}"), fail),
                }
            }
            // 3. A BuildKit attestation manifest next to the image in its index.
            if i == 0
                && let Some((index, _)) = index
                && let Some(entry) = index.attestation_for(image_digest)
            {
                let what = format!("the BuildKit attestation {}", entry.digest);
                match self
                    .host
                    .manifest_by_digest(
                        self.cache,
                        self.repo,
                        &entry.digest,
                        Some(entry),
                        self.options,
                    )
                    .await
                {
                    Ok(bytes) => {
                        if let Some(found) = self
                            .in_manifest(
                                &bytes,
                                Some(&entry.media_type),
                                AttestationSource::BuildKit,
                                &what,
                            )
                            .await
                        {
                            return Some(found);
                        }
                    }
                    Err(fail) => self.problem(&what, fail),
                }
            }
        }
        None
    }

    fn problem(&mut self, what: &str, fail: Fail) {
        if matches!(fail, Fail::NotFound(_)) {
            return;
        }
        let text = fail.describe(self.host.name(), self.host);
        self.problems.push(format!("{what}: {text}"));
    }

    /// The SBOM among the layers of an attestation manifest.
    async fn in_manifest(
        &mut self,
        bytes: &[u8],
        content_type: Option<&str>,
        source: AttestationSource,
        what: &str,
    ) -> Option<(Sbom, String, &'static str)> {
        match oci::parse_document(bytes, content_type, Expected::Manifest) {
            Ok(Document::Manifest(manifest)) => {
                let candidates =
                    oci::sbom_candidates_from_manifest(&manifest, source, DEFAULT_SBOM_PREFERENCE);
                self.first_sbom(candidates).await
            }
            Ok(Document::Index(_)) => unreachable!("Expected::Manifest accepts manifests only"),
            Err(e) => {
                self.problems.push(format!("{what}: {e}"));
                None
            }
        }
    }

    /// Tries candidates in the core's order: a manifest is fetched and its layers tried first
    /// (one level deep: a referrer's layers are blobs); a blob is fetched and read.
    async fn first_sbom(
        &mut self,
        candidates: Vec<SbomCandidate>,
    ) -> Option<(Sbom, String, &'static str)> {
        let mut queue: VecDeque<(SbomCandidate, bool)> =
            candidates.into_iter().map(|c| (c, true)).collect();
        while let Some((candidate, may_open)) = queue.pop_front() {
            if self.budget == 0 {
                self.problems.push(format!(
                    "gave up after {MAX_CANDIDATES} attestation manifests and blobs"
                ));
                return None;
            }
            self.budget -= 1;
            let d = &candidate.descriptor;
            let source = source_name(candidate.source);
            if candidate.content == Content::Manifest {
                if !may_open {
                    continue;
                }
                let bytes = match self
                    .host
                    .manifest_by_digest(self.cache, self.repo, &d.digest, Some(d), self.options)
                    .await
                {
                    Ok(bytes) => bytes,
                    Err(fail) => {
                        self.problem(&format!("the {source} manifest {}", d.digest), fail);
                        continue;
                    }
                };
                match oci::parse_document(&bytes, Some(&d.media_type), Expected::Manifest) {
                    Ok(Document::Manifest(manifest)) => {
                        let inner = oci::sbom_candidates_from_manifest(
                            &manifest,
                            candidate.source,
                            DEFAULT_SBOM_PREFERENCE,
                        );
                        for c in inner.into_iter().rev() {
                            queue.push_front((c, false));
                        }
                    }
                    Ok(Document::Index(_)) => {}
                    Err(e) => self
                        .problems
                        .push(format!("the {source} manifest {}: {e}", d.digest)),
                }
                continue;
            }
            let bytes = match self.host.blob(self.cache, self.repo, d, self.options).await {
                Ok(bytes) => bytes,
                Err(fail) => {
                    self.problem(&format!("the {source} blob {}", d.digest), fail);
                    continue;
                }
            };
            match read_sbom(&bytes) {
                Ok(sbom) => return Some((sbom, d.digest.clone(), source)),
                // A statement about something else (provenance): not a problem.
                Err(e) if e.is_not_sbom() => {}
                Err(e) => self
                    .problems
                    .push(format!("the SBOM in the {source} blob {}: {e}", d.digest)),
            }
        }
        None
    }
}
