//! Finding an image's SBOM, as a conversation: the search says what to fetch next
//! ([`SbomSearch::step`]), the host fetches it and hands the answer back
//! ([`SbomSearch::answer`]), until the search is done. No I/O here, so the native client and
//! the GitHub Action (JavaScript `fetch`) ask the same questions in the same order and reach the
//! same conclusion.
//!
//! The order, for the platform manifest's digest and then the index's (attestations may be made
//! for either): the OCI 1.1 referrers (the API, else the referrers tag schema), cosign's
//! `sha256-<hex>.att` tag, and, for the platform manifest, the BuildKit attestation manifest in
//! its index. Within each, the candidates in the order [`sbom_candidates_from_manifest`] and
//! [`sbom_candidates_from_referrers`] rank them. The first blob that reads as an SBOM wins; at
//! most [`MAX_CANDIDATES`] attestation manifests and blobs are fetched. A 404 is not a problem
//! (an image without attestations is [`SearchOutcome::NotFound`]); other failures are kept and
//! reported together when nothing was found.

use super::{
    AttestationSource, Content, DEFAULT_SBOM_PREFERENCE, Descriptor, Document, Expected, Index,
    SbomCandidate, cosign_attestation_tag, parse_document, referrers_tag,
    sbom_candidates_from_manifest, sbom_candidates_from_referrers, verify_digest,
};
use crate::sbom::{Sbom, read_sbom};
use std::collections::VecDeque;

/// Most attestation manifests and blobs fetched for one image.
pub const MAX_CANDIDATES: usize = 16;

/// What the host is asked to fetch, in the image's repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetch {
    /// `GET /v2/<repo>/referrers/<digest>` with `Accept: ACCEPT_REFERRERS`. Answer
    /// [`Answer::NotFound`] for 404, and for 400 and 405 (registries without the API).
    Referrers { digest: String },
    /// `GET /v2/<repo>/manifests/<reference>` (a tag or a digest) with `Accept:
    /// ACCEPT_MANIFEST`.
    Manifest { reference: String },
    /// `GET /v2/<repo>/blobs/<digest>`; at most `descriptor.size` bytes are needed.
    Blob { descriptor: Descriptor },
}

/// The host's answer to the last [`Fetch`].
#[derive(Debug, Clone, Copy)]
pub enum Answer<'a> {
    /// The body, and the `Content-Type` it came with.
    Body {
        bytes: &'a [u8],
        content_type: Option<&'a str>,
    },
    /// 404 (and, for referrers, 400 and 405).
    NotFound,
    /// Anything else, said as the host would say it (`503 Service Unavailable`).
    Failed(&'a str),
}

/// How the search ended.
#[derive(Debug, Clone, PartialEq)]
pub enum SearchOutcome {
    Found {
        sbom: Sbom,
        /// The blob it was read from.
        blob: String,
        source: AttestationSource,
    },
    /// Nothing anywhere: the package count is unknown.
    NotFound,
    /// Nothing found, and these went wrong on the way (`; `-joined when shown).
    Failed(Vec<String>),
}

/// The next step.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Fetch(Fetch),
    Done(SearchOutcome),
}

#[derive(Debug, Clone)]
enum Task {
    /// The referrers API for a subject; falls back to the referrers tag.
    Referrers(String),
    ReferrersTag(String),
    CosignTag(String),
    BuildKit(Descriptor),
    /// A candidate: a manifest (opened when `may_open`) or a blob.
    Candidate(SbomCandidate, bool),
}

/// The search for one image's SBOM. Create it, then alternate [`SbomSearch::step`] and
/// [`SbomSearch::answer`].
#[derive(Debug, Clone)]
pub struct SbomSearch {
    queue: VecDeque<Task>,
    /// The task whose fetch awaits an answer.
    pending: Option<Task>,
    problems: Vec<String>,
    budget: usize,
    done: Option<SearchOutcome>,
}

impl SbomSearch {
    /// For the platform image manifest `image_digest`, and the index it was chosen from (with
    /// the index's own digest), when there is one.
    pub fn new(image_digest: &str, index: Option<(&Index, &str)>) -> SbomSearch {
        let mut queue = VecDeque::new();
        queue.push_back(Task::Referrers(image_digest.to_string()));
        queue.push_back(Task::CosignTag(image_digest.to_string()));
        if let Some(entry) = index.and_then(|(index, _)| index.attestation_for(image_digest)) {
            queue.push_back(Task::BuildKit(entry.clone()));
        }
        if let Some((_, index_digest)) = index {
            queue.push_back(Task::Referrers(index_digest.to_string()));
            queue.push_back(Task::CosignTag(index_digest.to_string()));
        }
        SbomSearch {
            queue,
            pending: None,
            problems: Vec::new(),
            budget: MAX_CANDIDATES,
            done: None,
        }
    }

    /// What to fetch next, or how the search ended. Calling it again before answering asks
    /// for the same fetch.
    pub fn step(&mut self) -> Step {
        if let Some(outcome) = &self.done {
            return Step::Done(outcome.clone());
        }
        if let Some(task) = &self.pending {
            return Step::Fetch(fetch_for(task));
        }
        while let Some(task) = self.queue.pop_front() {
            let task = match task {
                Task::CosignTag(digest) => match cosign_attestation_tag(&digest) {
                    Ok(_) => Task::CosignTag(digest),
                    Err(_) => continue,
                },
                Task::Candidate(candidate, may_open) => {
                    if candidate.content == Content::Manifest && !may_open {
                        continue;
                    }
                    if self.budget == 0 {
                        self.problems.push(format!(
                            "gave up after {MAX_CANDIDATES} attestation manifests and blobs"
                        ));
                        self.queue.clear();
                        break;
                    }
                    self.budget -= 1;
                    Task::Candidate(candidate, may_open)
                }
                other => other,
            };
            let fetch = fetch_for(&task);
            self.pending = Some(task);
            return Step::Fetch(fetch);
        }
        let outcome = if self.problems.is_empty() {
            SearchOutcome::NotFound
        } else {
            SearchOutcome::Failed(self.problems.clone())
        };
        self.done = Some(outcome.clone());
        Step::Done(outcome)
    }

    /// The answer to the fetch [`SbomSearch::step`] asked for (ignored when none is pending).
    pub fn answer(&mut self, answer: Answer) {
        let Some(task) = self.pending.take() else {
            return;
        };
        let what = describe(&task);
        let (bytes, content_type) = match answer {
            Answer::Body {
                bytes,
                content_type,
            } => (bytes, content_type),
            Answer::NotFound => {
                if let Task::Referrers(digest) = task {
                    self.queue.push_front(Task::ReferrersTag(digest));
                }
                return;
            }
            Answer::Failed(message) => {
                self.problems.push(format!("{what}: {message}"));
                return;
            }
        };
        // Fetched by digest: the bytes must be those.
        if let Some(digest) = fetched_digest(&task)
            && !verify_digest(bytes, digest)
        {
            self.problems.push(format!(
                "{what}: the answer does not have the digest {digest}"
            ));
            return;
        }
        match task {
            Task::Referrers(_) | Task::ReferrersTag(_) => {
                match parse_document(bytes, content_type, Expected::Index) {
                    Ok(Document::Index(index)) => {
                        let candidates =
                            sbom_candidates_from_referrers(&index, DEFAULT_SBOM_PREFERENCE);
                        self.push_front(candidates, true);
                    }
                    Ok(Document::Manifest(_)) => {}
                    Err(e) => self.problems.push(format!("{what}: {e}")),
                }
            }
            Task::CosignTag(_) => {
                self.open(bytes, content_type, AttestationSource::CosignTag, &what)
            }
            Task::BuildKit(ref entry) => {
                let media_type = entry.media_type.clone();
                self.open(bytes, Some(&media_type), AttestationSource::BuildKit, &what)
            }
            Task::Candidate(candidate, _) if candidate.content == Content::Manifest => {
                let media_type = candidate.descriptor.media_type.clone();
                match parse_document(bytes, Some(&media_type), Expected::Manifest) {
                    Ok(Document::Manifest(manifest)) => {
                        let inner = sbom_candidates_from_manifest(
                            &manifest,
                            candidate.source,
                            DEFAULT_SBOM_PREFERENCE,
                        );
                        // One level deep: a referrer's layers are blobs.
                        self.push_front(inner, false);
                    }
                    Ok(Document::Index(_)) => {}
                    Err(e) => self.problems.push(format!("{what}: {e}")),
                }
            }
            Task::Candidate(candidate, _) => match read_sbom(bytes) {
                Ok(sbom) => {
                    self.done = Some(SearchOutcome::Found {
                        sbom,
                        blob: candidate.descriptor.digest,
                        source: candidate.source,
                    });
                }
                // A statement about something else (provenance): not a problem.
                Err(e) if e.is_not_sbom() => {}
                Err(e) => self.problems.push(format!("{what}: {e}")),
            },
        }
    }

    fn open(
        &mut self,
        bytes: &[u8],
        content_type: Option<&str>,
        source: AttestationSource,
        what: &str,
    ) {
        match parse_document(bytes, content_type, Expected::Manifest) {
            Ok(Document::Manifest(manifest)) => {
                let candidates =
                    sbom_candidates_from_manifest(&manifest, source, DEFAULT_SBOM_PREFERENCE);
                self.push_front(candidates, true);
            }
            Ok(Document::Index(_)) => {}
            Err(e) => self.problems.push(format!("{what}: {e}")),
        }
    }

    fn push_front(&mut self, candidates: Vec<SbomCandidate>, may_open: bool) {
        for c in candidates.into_iter().rev() {
            self.queue.push_front(Task::Candidate(c, may_open));
        }
    }
}

fn fetch_for(task: &Task) -> Fetch {
    match task {
        Task::Referrers(digest) => Fetch::Referrers {
            digest: digest.clone(),
        },
        Task::ReferrersTag(digest) => Fetch::Manifest {
            reference: referrers_tag(digest).unwrap_or_else(|_| digest.clone()),
        },
        Task::CosignTag(digest) => Fetch::Manifest {
            reference: cosign_attestation_tag(digest).unwrap_or_else(|_| digest.clone()),
        },
        Task::BuildKit(entry) => Fetch::Manifest {
            reference: entry.digest.clone(),
        },
        Task::Candidate(c, _) if c.content == Content::Manifest => Fetch::Manifest {
            reference: c.descriptor.digest.clone(),
        },
        Task::Candidate(c, _) => Fetch::Blob {
            descriptor: c.descriptor.clone(),
        },
    }
}

/// The digest a task's fetch names, which its answer must have.
fn fetched_digest(task: &Task) -> Option<&str> {
    match task {
        Task::BuildKit(entry) => Some(&entry.digest),
        Task::Candidate(c, _) => Some(&c.descriptor.digest),
        _ => None,
    }
}

/// How problems name what was fetched.
fn describe(task: &Task) -> String {
    match task {
        Task::Referrers(digest) => format!("the referrers of {digest}"),
        Task::ReferrersTag(digest) => format!("the referrers tag of {digest}"),
        Task::CosignTag(digest) => format!(
            "the cosign tag {}",
            cosign_attestation_tag(digest).unwrap_or_default()
        ),
        Task::BuildKit(entry) => format!("the BuildKit attestation {}", entry.digest),
        Task::Candidate(c, _) if c.content == Content::Manifest => {
            format!("the {} manifest {}", c.source.label(), c.descriptor.digest)
        }
        Task::Candidate(c, _) => {
            format!("the {} blob {}", c.source.label(), c.descriptor.digest)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oci::sha256_digest;
    use serde_json::{Value, json};
    use std::collections::HashMap;

    const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
    const OCI_INDEX: &str = "application/vnd.oci.image.index.v1+json";
    const INTOTO: &str = "application/vnd.in-toto+json";

    fn bytes(v: &Value) -> Vec<u8> {
        serde_json::to_vec(v).unwrap()
    }

    fn spdx_statement(subject: &str, packages: usize) -> Vec<u8> {
        let packages: Vec<Value> = (0..packages)
            .map(|i| json!({"SPDXID": format!("SPDXRef-p{i}"), "name": format!("p{i}"), "versionInfo": "1"}))
            .collect();
        bytes(&json!({
            "_type": "https://in-toto.io/Statement/v0.1",
            "predicateType": "https://spdx.dev/Document",
            "subject": [{"name": "x", "digest": {"sha256": subject.trim_start_matches("sha256:")}}],
            "predicate": {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "x",
                          "dataLicense": "CC0-1.0", "documentNamespace": "https://example.com/x",
                          "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: test"]},
                          "packages": packages}
        }))
    }

    fn attestation_manifest(blob: &[u8], subject: &str) -> Vec<u8> {
        bytes(&json!({
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha256_digest(b"{}"), "size": 2},
            "layers": [{
                "mediaType": INTOTO,
                "digest": sha256_digest(blob),
                "size": blob.len(),
                "annotations": {"in-toto.io/predicate-type": "https://spdx.dev/Document"}
            }],
            "annotations": {"vnd.docker.reference.digest": subject}
        }))
    }

    /// A registry in memory: what each fetch answers.
    #[derive(Default)]
    struct Registry {
        manifests: HashMap<String, (Vec<u8>, &'static str)>,
        blobs: HashMap<String, Vec<u8>>,
        referrers: HashMap<String, Vec<u8>>,
        failing: HashMap<String, &'static str>,
    }

    impl Registry {
        /// Runs the search to the end; the fetches it asked for, in order.
        fn drive(&self, mut search: SbomSearch) -> (SearchOutcome, Vec<String>) {
            let mut asked = Vec::new();
            loop {
                match search.step() {
                    Step::Done(outcome) => return (outcome, asked),
                    Step::Fetch(fetch) => {
                        let (key, found) = match &fetch {
                            Fetch::Referrers { digest } => (
                                format!("referrers {digest}"),
                                self.referrers
                                    .get(digest)
                                    .map(|b| (b.as_slice(), Some(OCI_INDEX))),
                            ),
                            Fetch::Manifest { reference } => (
                                format!("manifest {reference}"),
                                self.manifests
                                    .get(reference)
                                    .map(|(b, t)| (b.as_slice(), Some(*t))),
                            ),
                            Fetch::Blob { descriptor } => (
                                format!("blob {}", descriptor.digest),
                                self.blobs
                                    .get(&descriptor.digest)
                                    .map(|b| (b.as_slice(), None)),
                            ),
                        };
                        asked.push(key.clone());
                        let answer = match (self.failing.get(&key), found) {
                            (Some(message), _) => Answer::Failed(message),
                            (None, Some((bytes, content_type))) => Answer::Body {
                                bytes,
                                content_type,
                            },
                            (None, None) => Answer::NotFound,
                        };
                        search.answer(answer);
                    }
                }
            }
        }
    }

    const IMAGE: &str = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    fn with_buildkit(packages: usize) -> (Registry, Index, String) {
        let statement = spdx_statement(IMAGE, packages);
        let att = attestation_manifest(&statement, IMAGE);
        let att_digest = sha256_digest(&att);
        let index_json = bytes(&json!({
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [
                {"mediaType": OCI_MANIFEST, "digest": IMAGE, "size": 100, "platform": {"os": "linux", "architecture": "amd64"}},
                {"mediaType": OCI_MANIFEST, "digest": att_digest, "size": att.len(),
                 "platform": {"os": "unknown", "architecture": "unknown"},
                 "annotations": {"vnd.docker.reference.type": "attestation-manifest", "vnd.docker.reference.digest": IMAGE}}
            ]
        }));
        let Ok(Document::Index(index)) =
            parse_document(&index_json, Some(OCI_INDEX), Expected::Index)
        else {
            panic!("an index")
        };
        let mut registry = Registry::default();
        registry.manifests.insert(att_digest, (att, OCI_MANIFEST));
        registry.blobs.insert(sha256_digest(&statement), statement);
        (registry, index, sha256_digest(&index_json))
    }

    #[test]
    fn referrers_then_cosign_then_buildkit_and_the_first_sbom_wins() {
        let (registry, index, index_digest) = with_buildkit(23);
        let (outcome, asked) =
            registry.drive(SbomSearch::new(IMAGE, Some((&index, &index_digest))));
        let SearchOutcome::Found { sbom, source, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(sbom.packages.len(), 23);
        assert_eq!(source, AttestationSource::BuildKit);
        let hex = &IMAGE[7..];
        assert_eq!(
            asked[..3],
            [
                format!("referrers {IMAGE}"),
                format!("manifest sha256-{hex}"),
                format!("manifest sha256-{hex}.att"),
            ],
            "the API, its tag schema, cosign's tag, in that order"
        );
        assert!(asked[3].starts_with("manifest sha256:"), "{asked:?}");
        assert!(asked[4].starts_with("blob sha256:"), "{asked:?}");
        assert_eq!(asked.len(), 5, "stops at the first SBOM");
    }

    #[test]
    fn cosign_attestations_are_found_before_buildkit() {
        let (mut registry, index, index_digest) = with_buildkit(23);
        let statement = spdx_statement(IMAGE, 5);
        let att = attestation_manifest(&statement, IMAGE);
        registry
            .manifests
            .insert(format!("sha256-{}.att", &IMAGE[7..]), (att, OCI_MANIFEST));
        registry.blobs.insert(sha256_digest(&statement), statement);
        let (outcome, _) = registry.drive(SbomSearch::new(IMAGE, Some((&index, &index_digest))));
        let SearchOutcome::Found { sbom, source, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(
            (sbom.packages.len(), source),
            (5, AttestationSource::CosignTag)
        );
    }

    #[test]
    fn nothing_anywhere_is_not_found_and_failures_are_all_reported() {
        let registry = Registry::default();
        let (outcome, asked) = registry.drive(SbomSearch::new(IMAGE, None));
        assert_eq!(outcome, SearchOutcome::NotFound);
        assert_eq!(asked.len(), 3, "{asked:?}");

        let mut registry = Registry::default();
        registry.failing.insert(
            format!("manifest sha256-{}.att", &IMAGE[7..]),
            "503 Service Unavailable",
        );
        registry
            .failing
            .insert(format!("referrers {IMAGE}"), "500 Internal Server Error");
        let (outcome, _) = registry.drive(SbomSearch::new(IMAGE, None));
        let SearchOutcome::Failed(problems) = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(
            problems,
            [
                format!("the referrers of {IMAGE}: 500 Internal Server Error"),
                format!(
                    "the cosign tag sha256-{}.att: 503 Service Unavailable",
                    &IMAGE[7..]
                ),
            ]
        );
    }

    #[test]
    fn a_blob_that_is_not_what_its_digest_says_is_a_problem_not_an_sbom() {
        let (mut registry, index, index_digest) = with_buildkit(23);
        for blob in registry.blobs.values_mut() {
            blob.push(b' ');
        }
        let (outcome, _) = registry.drive(SbomSearch::new(IMAGE, Some((&index, &index_digest))));
        let SearchOutcome::Failed(problems) = outcome else {
            panic!("{outcome:?}")
        };
        assert!(
            problems[0].contains("does not have the digest"),
            "{problems:?}"
        );
    }

    #[test]
    fn asking_again_repeats_the_fetch_and_stray_answers_are_ignored() {
        let mut search = SbomSearch::new(IMAGE, None);
        let first = search.step();
        assert_eq!(search.step(), first);
        search.answer(Answer::NotFound);
        search.answer(Answer::NotFound); // nothing pending: ignored
        assert_eq!(
            search.step(),
            Step::Fetch(Fetch::Manifest {
                reference: format!("sha256-{}", &IMAGE[7..])
            })
        );
    }

    #[test]
    fn at_most_max_candidates_are_fetched() {
        // A referrers list of 40 attestation manifests, none of which exists.
        let manifests: Vec<Value> = (0..40)
            .map(|i| {
                json!({
                    "mediaType": OCI_MANIFEST,
                    "digest": sha256_digest(format!("m{i}").as_bytes()),
                    "size": 10,
                    "artifactType": "application/spdx+json"
                })
            })
            .collect();
        let mut registry = Registry::default();
        registry.referrers.insert(
            IMAGE.to_string(),
            bytes(&json!({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": manifests})),
        );
        let (outcome, asked) = registry.drive(SbomSearch::new(IMAGE, None));
        let fetched = asked
            .iter()
            .filter(|a| a.starts_with("manifest sha256:"))
            .count();
        assert!(fetched <= MAX_CANDIDATES, "{fetched}");
        match outcome {
            SearchOutcome::Failed(p) => {
                assert!(p.iter().any(|p| p.contains("gave up after 16")), "{p:?}")
            }
            other => panic!("{other:?}"),
        }
    }
}
