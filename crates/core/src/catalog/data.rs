//! The vendor catalog as data: what `../shared/reference/vendors.md` records about each vendor
//! that publishes dev/production image pairs. Rules never name a vendor; they ask the lookups in
//! `catalog/mod.rs`, which read this table (and the user's configuration on top of it).

/// How a vendor names the dev variant of an image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DevTag {
    /// The tag ends with this suffix: `latest-dev`, `3.13.5-dev`.
    Suffix(&'static str),
    /// One dash-separated part of the tag is this word: `3.14-alpine3.24-dev`, `3-fips-dev`.
    DashPart(&'static str),
}

/// Where a vendor's images live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// Every repository under this prefix (`reg.mini.dev`, `cgr.dev/chainguard`); the image
    /// name is the last path component.
    Prefix(&'static str),
    /// Repositories `domain/<org>/<name_prefix><name>`, such as the Docker Hub mirrors of
    /// Docker Hardened Images (`docker.io/acme/dhi-python`).
    OrgNamePrefix {
        domain: &'static str,
        name_prefix: &'static str,
    },
}

/// A dev image whose production twin has another name (`go` builds, `static` runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pair {
    pub dev: &'static str,
    pub production: &'static [&'static str],
    /// The production twin carries the dev image's version (`openjdk:21-dev` → `openjre:21`);
    /// otherwise it is `latest` (`go:1.23-dev` → `static:latest`).
    pub same_version: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retirement {
    /// ISO date the registry stopped serving pulls.
    pub date: &'static str,
    pub note: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vendor {
    /// The id used in configuration (`mirrors[].vendor`).
    pub id: &'static str,
    pub name: &'static str,
    pub locations: &'static [Location],
    pub dev_tag: DevTag,
    /// Production images that do have `/bin/sh` (all dev images do).
    pub shell_images: &'static [&'static str],
    pub pairs: &'static [Pair],
    pub retired: Option<Retirement>,
}

pub const VENDORS: &[Vendor] = &[
    Vendor {
        id: "minimus",
        name: "Minimus",
        locations: &[Location::Prefix("reg.mini.dev")],
        dev_tag: DevTag::Suffix("-dev"),
        shell_images: &["busybox"],
        pairs: &[
            Pair {
                dev: "go",
                production: &["static", "glibc-dynamic"],
                same_version: false,
            },
            Pair {
                dev: "openjdk",
                production: &["openjre"],
                same_version: true,
            },
        ],
        retired: Some(Retirement {
            date: "2026-10-22",
            note: "a machine that has not pulled the image cannot build this, and it gets no \
                   more updates",
        }),
    },
    Vendor {
        id: "chainguard",
        name: "Chainguard",
        locations: &[Location::Prefix("cgr.dev")],
        dev_tag: DevTag::Suffix("-dev"),
        shell_images: &["busybox", "wolfi-base"],
        pairs: &[
            Pair {
                dev: "go",
                production: &["static"],
                same_version: false,
            },
            Pair {
                dev: "maven",
                production: &["jre"],
                same_version: false,
            },
            Pair {
                dev: "jdk",
                production: &["jre"],
                same_version: true,
            },
        ],
        retired: None,
    },
    Vendor {
        id: "dhi",
        name: "Docker Hardened Images",
        locations: &[
            Location::Prefix("dhi.io"),
            Location::OrgNamePrefix {
                domain: "docker.io",
                name_prefix: "dhi-",
            },
        ],
        dev_tag: DevTag::DashPart("dev"),
        shell_images: &["busybox"],
        pairs: &[],
        retired: None,
    },
    Vendor {
        id: "distroless",
        name: "Google distroless",
        locations: &[Location::Prefix("gcr.io/distroless")],
        dev_tag: DevTag::DashPart("debug"),
        shell_images: &[],
        pairs: &[],
        retired: None,
    },
];
