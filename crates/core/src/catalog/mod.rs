//! Lookups over the vendor catalog (`data.rs`) and the user's additions to it (mirrors, pairs,
//! shell-less images, trusted registries): is an image a vendor's dev or production variant,
//! what is its twin, does it have a shell, is its registry retired.

pub mod data;

use crate::config::Config;
use crate::reference::ImageRef;
use data::{DevTag, Location, Pair, Retirement, VENDORS, Vendor};

/// The catalog with a configuration applied.
#[derive(Debug, Clone, Copy)]
pub struct Catalog<'a> {
    config: &'a Config,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variant {
    Dev,
    Production,
}

/// What the catalog knows about one image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Classified {
    pub vendor: &'static Vendor,
    /// The image's own name, without registry, organisation or tenant: `python`.
    pub name: String,
    pub variant: Variant,
    /// `/bin/sh` exists in the image.
    pub has_shell: bool,
    /// The image as the vendor publishes it, when it was found through a mirror
    /// (`reg.mini.dev/python:3.13.5-dev` for `ghcr.io/acme/minimus/python:3.13.5-dev`).
    pub upstream: Option<String>,
    /// The mirror prefix it was found through.
    pub mirror: Option<String>,
}

/// Whether an id names a catalog vendor (for configuration checks).
pub fn is_vendor(id: &str) -> bool {
    VENDORS.iter().any(|v| v.id == id)
}

pub fn vendor(id: &str) -> Option<&'static Vendor> {
    VENDORS.iter().find(|v| v.id == id)
}

impl<'a> Catalog<'a> {
    pub fn new(config: &'a Config) -> Self {
        Catalog { config }
    }

    /// Classifies an image, looking through configured mirrors.
    pub fn classify(&self, image: &ImageRef) -> Option<Classified> {
        let name = image.name();
        let (vendor, upstream_name, mirror) = match self.mirrored(&name) {
            Some((vendor, upstream, prefix)) => (Some(vendor), upstream, Some(prefix)),
            None => (None, name.clone(), None),
        };
        let (vendor, short) = match vendor {
            Some(v) => (v, last_component(&upstream_name).to_string()),
            None => find_vendor(&upstream_name)?,
        };
        let short = match vendor_location_name(vendor, &upstream_name) {
            Some(n) => n,
            None => short,
        };
        let tag = image.tag_or_default().unwrap_or("");
        let variant = if image.tag.is_none() && image.digest.is_some() {
            // A digest alone says nothing about the variant; assume what most pins are.
            Variant::Production
        } else if is_dev_tag(vendor.dev_tag, tag) {
            Variant::Dev
        } else {
            Variant::Production
        };
        let has_shell = (variant == Variant::Dev || vendor.shell_images.contains(&short.as_str()))
            && !self.config.shell_less.iter().any(|p| p.matches(&name));
        let upstream = mirror.as_ref().map(|_| {
            let mut up = ImageRef {
                domain: String::new(),
                path: String::new(),
                tag: image.tag.clone(),
                digest: image.digest.clone(),
            };
            let (domain, path) = upstream_name
                .split_once('/')
                .unwrap_or((upstream_name.as_str(), ""));
            up.domain = domain.to_string();
            up.path = path.to_string();
            up.normalized()
        });
        Some(Classified {
            vendor,
            name: short,
            variant,
            has_shell,
            upstream,
            mirror,
        })
    }

    /// Whether a production image has no shell: the catalog says so, or the configuration
    /// lists it under `shell-less`. Unknown images are assumed to have one.
    pub fn is_shell_less(&self, image: &ImageRef) -> bool {
        if self
            .config
            .shell_less
            .iter()
            .any(|p| p.matches(&image.name()))
        {
            return true;
        }
        self.classify(image).is_some_and(|c| !c.has_shell)
    }

    /// The registry of this image is retired (and it is not reached through a mirror).
    pub fn retirement(&self, image: &ImageRef) -> Option<(&'static Vendor, Retirement)> {
        let c = self.classify(image)?;
        if c.mirror.is_some() {
            return None;
        }
        c.vendor.retired.map(|r| (c.vendor, r))
    }

    /// The image comes from a catalog vendor, a configured mirror or a trusted registry.
    pub fn is_hardened_source(&self, image: &ImageRef) -> bool {
        let name = image.name();
        self.classify(image).is_some()
            || self
                .config
                .trusted_registries
                .iter()
                .any(|p| p.matches(&name))
    }

    /// The production twins of a dev image, written in the same place as the original (same
    /// registry or mirror), most likely first: `reg.mini.dev/python:3.13.5` for
    /// `reg.mini.dev/python:3.13.5-dev`, `reg.mini.dev/static:latest` for `.../go:1.23-dev`.
    pub fn production_twins(&self, image: &ImageRef) -> Vec<ImageRef> {
        let Some(c) = self.classify(image) else {
            return Vec::new();
        };
        if c.variant != Variant::Dev {
            return Vec::new();
        }
        let tag = image.tag_or_default().unwrap_or("latest");
        let production_tag = strip_dev_tag(c.vendor.dev_tag, tag);
        let (names, same_version) = match self.pair_for(c.vendor, &c.name) {
            Some((names, same)) => (names, same),
            None => (vec![c.name.clone()], true),
        };
        names
            .into_iter()
            .map(|name| {
                let path = replace_last_component(&image.path, &c.name, &name);
                ImageRef {
                    domain: image.domain.clone(),
                    path,
                    tag: Some(if same_version {
                        production_tag.clone()
                    } else {
                        "latest".to_string()
                    }),
                    digest: None,
                }
            })
            .collect()
    }

    /// The dev twin of a production image (for comparisons), if the catalog can name it.
    pub fn dev_twin(&self, image: &ImageRef) -> Option<ImageRef> {
        let c = self.classify(image)?;
        if c.variant != Variant::Production {
            return None;
        }
        let pair = self
            .config
            .pairs
            .iter()
            .filter(|p| p.vendor == c.vendor.id)
            .map(|p| (p.dev.clone(), p.production.clone(), true))
            .chain(c.vendor.pairs.iter().map(|p| {
                (
                    p.dev.to_string(),
                    p.production.iter().map(|s| s.to_string()).collect(),
                    p.same_version,
                )
            }))
            .find(|(_, production, _)| production.contains(&c.name));
        let (dev_name, same_version) = match pair {
            Some((dev, _, same)) => (dev, same),
            None => (c.name.clone(), true),
        };
        let tag = image.tag_or_default().unwrap_or("latest");
        let dev_tag = if same_version {
            add_dev_tag(c.vendor.dev_tag, tag)
        } else {
            add_dev_tag(c.vendor.dev_tag, "latest")
        };
        Some(ImageRef {
            domain: image.domain.clone(),
            path: replace_last_component(&image.path, &c.name, &dev_name),
            tag: Some(dev_tag),
            digest: None,
        })
    }

    /// Production names for a dev name: the configuration's pairs first, then the catalog's.
    fn pair_for(&self, vendor: &Vendor, dev: &str) -> Option<(Vec<String>, bool)> {
        if let Some(p) = self
            .config
            .pairs
            .iter()
            .find(|p| p.vendor == vendor.id && p.dev == dev)
        {
            return Some((p.production.clone(), true));
        }
        vendor.pairs.iter().find(|p: &&Pair| p.dev == dev).map(|p| {
            (
                p.production.iter().map(|s| s.to_string()).collect(),
                p.same_version,
            )
        })
    }

    /// A configured mirror that holds this repository: (vendor, upstream name, mirror prefix).
    fn mirrored(&self, name: &str) -> Option<(&'static Vendor, String, String)> {
        self.config.mirrors.iter().find_map(|m| {
            let rest = name.strip_prefix(m.prefix.trim_end_matches('/'))?;
            let rest = rest.strip_prefix('/')?;
            let vendor = vendor(&m.vendor)?;
            let upstream = format!("{}/{}", m.upstream.trim_end_matches('/'), rest);
            Some((vendor, upstream, m.prefix.clone()))
        })
    }
}

/// The vendor whose registry holds `name`, and the image's own name.
fn find_vendor(name: &str) -> Option<(&'static Vendor, String)> {
    VENDORS.iter().find_map(|v| {
        v.locations
            .iter()
            .find_map(|l| location_name(l, name))
            .map(|short| (v, short))
    })
}

fn vendor_location_name(vendor: &Vendor, name: &str) -> Option<String> {
    vendor.locations.iter().find_map(|l| location_name(l, name))
}

fn location_name(location: &Location, name: &str) -> Option<String> {
    match *location {
        Location::Prefix(prefix) => {
            let rest = name.strip_prefix(prefix)?.strip_prefix('/')?;
            Some(last_component(rest).to_string())
        }
        Location::OrgNamePrefix {
            domain,
            name_prefix,
        } => {
            let rest = name.strip_prefix(domain)?.strip_prefix('/')?;
            let (_org, repo) = rest.split_once('/')?;
            if repo.contains('/') {
                return None;
            }
            repo.strip_prefix(name_prefix).map(str::to_string)
        }
    }
}

fn last_component(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Replaces the image's own name at the end of a repository path, keeping the prefix (and,
/// for `dhi-python`, the `dhi-` part).
fn replace_last_component(path: &str, old: &str, new: &str) -> String {
    let (head, last) = match path.rsplit_once('/') {
        Some((head, last)) => (Some(head), last),
        None => (None, path),
    };
    let last = match last.strip_suffix(old) {
        Some(prefix) => format!("{prefix}{new}"),
        None => new.to_string(),
    };
    match head {
        Some(head) => format!("{head}/{last}"),
        None => last,
    }
}

pub fn is_dev_tag(rule: DevTag, tag: &str) -> bool {
    match rule {
        DevTag::Suffix(suffix) => tag.ends_with(suffix),
        DevTag::DashPart(word) => tag.split('-').any(|part| part == word),
    }
}

fn strip_dev_tag(rule: DevTag, tag: &str) -> String {
    let stripped = match rule {
        DevTag::Suffix(suffix) => tag.strip_suffix(suffix).unwrap_or(tag).to_string(),
        DevTag::DashPart(word) => tag
            .split('-')
            .filter(|part| *part != word)
            .collect::<Vec<_>>()
            .join("-"),
    };
    if stripped.is_empty() {
        "latest".to_string()
    } else {
        stripped
    }
}

fn add_dev_tag(rule: DevTag, tag: &str) -> String {
    match rule {
        DevTag::Suffix(suffix) => format!("{tag}{suffix}"),
        DevTag::DashPart(word) if tag == "latest" => word.to_string(),
        DevTag::DashPart(word) => format!("{tag}-{word}"),
    }
}

/// The version part of a tag, for comparing a builder with its runtime: `3.13.5-dev` → `3.13.5`,
/// `3.12` → `3.12`; `None` for floating names (`latest`, `stable`).
pub fn version_of(rule: DevTag, tag: &str) -> Option<Vec<u64>> {
    let base = strip_dev_tag(rule, tag);
    let first = base.split('-').next()?;
    let first = first.strip_prefix('v').unwrap_or(first);
    let parts: Option<Vec<u64>> = first.split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests;
