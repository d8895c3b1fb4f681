//! What `check --compare` compares for each Dockerfile, decided once for every host: the final
//! image against its dev twin (or production twin) and against the base revision's final
//! image. The host fetches the images the plans name ([`images_to_fetch`]) and hands each
//! [`Plan`] the sides it got ([`Plan::complete`]).

use super::{Comparison, FileComparison, Side};
use crate::catalog::{Catalog, Variant};
use crate::check::{CheckOptions, check_dockerfile};
use crate::redact::redact;
use crate::reference::ImageRef;
use crate::report::FileReport;

/// The Dockerfile as it was at the base revision, as far as the host could read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseRevision<'a> {
    /// No base revision was asked for.
    NotAsked,
    /// The file does not exist at `base_ref`: it is new.
    Absent { base_ref: &'a str },
    /// The file's text at `base_ref`.
    Text { base_ref: &'a str, text: &'a str },
    /// The host could not read it (no such revision in a shallow clone, an API error).
    Unreadable { base_ref: &'a str, reason: &'a str },
}

/// What to compare for one Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub path: String,
    /// The final stage's image; `None` when it is unresolved or scratch.
    pub image: Option<ImageRef>,
    /// (dev, production): the dev twin first, as the vendors' guides compare them.
    pub twin: Option<(ImageRef, ImageRef)>,
    /// The base revision's final image.
    pub base: Option<ImageRef>,
    /// Why a comparison will be missing.
    pub notes: Vec<String>,
}

/// Plans the comparisons of one checked file. `options` are the options it was checked with
/// (its own configuration included); the base revision is checked with the same ones.
pub fn plan(file: &FileReport, options: &CheckOptions, base: BaseRevision) -> Plan {
    let mut plan = Plan {
        path: file.path.clone(),
        image: None,
        twin: None,
        base: None,
        notes: Vec::new(),
    };
    let Some(image) = final_image(file) else {
        plan.notes
            .push("the final image is unresolved or scratch: nothing to compare".into());
        return plan;
    };
    // The report's references are masked; a masked one names no repository that exists.
    if is_masked(&image) {
        plan.notes.push(
            "the final image's name holds a token (masked): not fetched; keep tokens out of image references".into(),
        );
        return plan;
    }
    let catalog = Catalog::new(&options.config);
    match catalog.classify(&image).map(|c| c.variant) {
        Some(Variant::Production) => match catalog.dev_twin(&image) {
            Some(dev) => plan.twin = Some((dev, image.clone())),
            None => plan
                .notes
                .push("the catalog knows no dev twin of the final image".into()),
        },
        Some(Variant::Dev) => match catalog.production_twins(&image).into_iter().next() {
            Some(production) => plan.twin = Some((image.clone(), production)),
            None => plan
                .notes
                .push("the catalog knows no production twin".into()),
        },
        None => plan
            .notes
            .push("the final image is from no catalog vendor: it has no twin".into()),
    }
    match base {
        BaseRevision::NotAsked => {}
        BaseRevision::Absent { base_ref } => plan
            .notes
            .push(format!("new since {base_ref}: no base image")),
        BaseRevision::Unreadable { base_ref, reason } => plan.notes.push(format!(
            "the Dockerfile at {base_ref} could not be read: {}",
            redact(reason)
        )),
        BaseRevision::Text { base_ref, text } => {
            match final_image(&check_dockerfile(&file.path, text, options)) {
                Some(base) if is_masked(&base) => plan.notes.push(format!(
                    "the final image at {base_ref} holds a token (masked): not fetched"
                )),
                Some(base) => plan.base = Some(base),
                None => plan.notes.push(format!(
                    "the final image at {base_ref} is unresolved or scratch"
                )),
            }
        }
    }
    plan.image = Some(image);
    plan
}

/// Masking writes `*`, which no image reference may hold.
fn is_masked(image: &ImageRef) -> bool {
    image.normalized().contains('*')
}

fn final_image(file: &FileReport) -> Option<ImageRef> {
    file.graph.final_stage().and_then(|s| s.base.image.clone())
}

/// Every image the plans need, each once, in the order first needed.
pub fn images_to_fetch(plans: &[Plan]) -> Vec<ImageRef> {
    let mut wanted: Vec<ImageRef> = Vec::new();
    for plan in plans {
        let twin = plan.twin.iter().flat_map(|(a, b)| [a, b]);
        for image in twin.chain(plan.base.iter()).chain(plan.image.iter()) {
            if !wanted.contains(image) {
                wanted.push(image.clone());
            }
        }
    }
    wanted
}

impl Plan {
    /// The comparisons, with the side the host fetched for each image (or why it could not);
    /// a failed image becomes a note (secrets masked) and leaves its comparison out.
    pub fn complete(self, side: impl Fn(&ImageRef) -> Result<Side, String>) -> FileComparison {
        let mut notes = self.notes;
        let mut pair = |from: &ImageRef, to: &ImageRef| match (side(from), side(to)) {
            (Ok(a), Ok(b)) => Some(Comparison::new(a, b)),
            (a, b) => {
                // Every side's failure is said, each once.
                for e in [a.err(), b.err()].into_iter().flatten() {
                    let note = redact(&e).into_owned();
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
                None
            }
        };
        let twin = self.twin.as_ref().and_then(|(a, b)| pair(a, b));
        let base = match (&self.base, &self.image) {
            (Some(base), Some(image)) => pair(base, image),
            _ => None,
        };
        FileComparison {
            path: self.path,
            image: self.image.map(|i| redact(&i.familiar()).into_owned()),
            twin,
            base,
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(text: &str) -> FileReport {
        check_dockerfile("Dockerfile", text, &CheckOptions::default())
    }

    fn side(label: &str, size: u64) -> Side {
        Side {
            label: label.into(),
            digest: None,
            platform: None,
            compressed_size: Some(size),
            packages: None,
            note: None,
        }
    }

    #[test]
    fn a_production_final_image_is_compared_with_its_dev_twin_and_the_base() {
        let file = checked("FROM reg.mini.dev/python:3.13.5\n");
        let plan = plan(
            &file,
            &CheckOptions::default(),
            BaseRevision::Text {
                base_ref: "main",
                text: "FROM reg.mini.dev/python:3.13.5-dev\n",
            },
        );
        let (dev, production) = plan.twin.clone().expect("a twin");
        assert_eq!(dev.familiar(), "reg.mini.dev/python:3.13.5-dev");
        assert_eq!(production.familiar(), "reg.mini.dev/python:3.13.5");
        assert_eq!(
            plan.base.as_ref().map(|b| b.familiar()),
            Some("reg.mini.dev/python:3.13.5-dev".into())
        );
        assert!(plan.notes.is_empty(), "{:?}", plan.notes);
        // The base image is also the dev twin: fetched once.
        let wanted = images_to_fetch(std::slice::from_ref(&plan));
        assert_eq!(wanted.len(), 2, "{wanted:?}");

        let done = plan.complete(|i| {
            Ok(side(
                &i.familiar(),
                if i.familiar().ends_with("-dev") {
                    218
                } else {
                    22
                },
            ))
        });
        assert_eq!(
            done.twin.as_ref().and_then(Comparison::size_delta),
            Some(-196)
        );
        assert_eq!(
            done.base.as_ref().and_then(Comparison::size_delta),
            Some(-196)
        );
    }

    #[test]
    fn a_dev_final_image_is_compared_with_its_production_twin() {
        let file = checked("FROM reg.mini.dev/python:3.13.5-dev\n");
        let plan = plan(&file, &CheckOptions::default(), BaseRevision::NotAsked);
        let (dev, production) = plan.twin.expect("a twin");
        assert_eq!(dev.familiar(), "reg.mini.dev/python:3.13.5-dev");
        assert_eq!(production.familiar(), "reg.mini.dev/python:3.13.5");
        assert_eq!(plan.base, None);
    }

    #[test]
    fn notes_say_why_a_comparison_is_missing() {
        let scratch = plan(
            &checked("FROM scratch\n"),
            &CheckOptions::default(),
            BaseRevision::NotAsked,
        );
        assert_eq!(scratch.image, None);
        assert!(
            scratch.notes[0].contains("unresolved or scratch"),
            "{:?}",
            scratch.notes
        );

        let other = plan(
            &checked("FROM debian:12\n"),
            &CheckOptions::default(),
            BaseRevision::Absent {
                base_ref: "origin/main",
            },
        );
        assert_eq!(other.twin, None);
        assert_eq!(
            other.notes,
            [
                "the final image is from no catalog vendor: it has no twin",
                "new since origin/main: no base image"
            ]
        );

        let unreadable = plan(
            &checked("FROM debian:12\n"),
            &CheckOptions::default(),
            BaseRevision::Unreadable {
                base_ref: "main",
                reason: "403 Resource not accessible by integration",
            },
        );
        assert_eq!(
            unreadable.notes[1],
            "the Dockerfile at main could not be read: 403 Resource not accessible by integration"
        );

        let unresolved_base = plan(
            &checked("FROM debian:12\n"),
            &CheckOptions::default(),
            BaseRevision::Text {
                base_ref: "main",
                text: "FROM $NOPE\n",
            },
        );
        assert!(
            unresolved_base.notes[1].contains("at main is unresolved"),
            "{:?}",
            unresolved_base.notes
        );
    }

    #[test]
    fn both_sides_failures_are_noted() {
        let plan = plan(
            &checked("FROM reg.mini.dev/python:3.13.5\n"),
            &CheckOptions::default(),
            BaseRevision::NotAsked,
        );
        let done = plan.complete(|i| Err(format!("{}: failed", i.familiar())));
        assert_eq!(
            done.notes,
            [
                "reg.mini.dev/python:3.13.5-dev: failed",
                "reg.mini.dev/python:3.13.5: failed"
            ]
        );
    }

    #[test]
    fn a_final_image_with_a_token_in_its_name_is_not_planned() {
        let plan = plan(
            &checked("FROM reg.mini.dev/mini_abcdefghijklmnopqrstuvwxyz0123/python:3.13.5\n"),
            &CheckOptions::default(),
            BaseRevision::NotAsked,
        );
        assert_eq!(plan.image, None);
        assert_eq!(plan.twin, None);
        assert!(plan.notes[0].contains("holds a token"), "{:?}", plan.notes);
        assert!(images_to_fetch(&[plan]).is_empty());
    }

    #[test]
    fn a_failed_fetch_becomes_a_masked_note_once() {
        let plan = plan(
            &checked("FROM reg.mini.dev/python:3.13.5\n"),
            &CheckOptions::default(),
            BaseRevision::Text {
                base_ref: "main",
                text: "FROM reg.mini.dev/python:3.13.5\n",
            },
        );
        let done =
            plan.complete(|_| Err("401 for token mini_abcdefghijklmnopqrstuvwxyz0123".into()));
        assert_eq!(done.twin, None);
        assert_eq!(done.base, None);
        assert_eq!(done.notes.len(), 1, "{:?}", done.notes);
        assert!(
            !done.notes[0].contains("abcdefghijklmnop"),
            "{:?}",
            done.notes
        );
    }
}
