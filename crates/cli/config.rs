//! Finding and reading `.minicheck.yaml`: `--config FILE` for every Dockerfile, or the first
//! `.minicheck.yaml` / `.minicheck.yml` walking up from each Dockerfile's directory. Each file
//! is read and parsed once per run.

use anyhow::{Context, Result};
use minicheck_core::catalog;
use minicheck_core::config::{Config, parse_config};
use minicheck_core::rules;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

const NAMES: [&str; 2] = [".minicheck.yaml", ".minicheck.yml"];

/// Configurations by file, shared by the parallel checks.
#[derive(Default)]
pub struct Configs {
    explicit: Option<Arc<Config>>,
    cache: Mutex<HashMap<PathBuf, Arc<Config>>>,
    default: Arc<Config>,
}

impl Configs {
    pub fn new(explicit: Option<&Path>) -> Result<Self> {
        let explicit = match explicit {
            Some(path) => Some(Arc::new(load(path)?)),
            None => None,
        };
        Ok(Configs {
            explicit,
            ..Configs::default()
        })
    }

    /// The configuration for a Dockerfile at `path` (or, for standard input, the current
    /// directory).
    pub fn for_file(&self, path: Option<&Path>) -> Result<Arc<Config>> {
        if let Some(config) = &self.explicit {
            return Ok(config.clone());
        }
        let start = match path {
            Some(p) => std::path::absolute(p)?
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            None => std::env::current_dir()?,
        };
        let Some(found) = find(&start) else {
            return Ok(self.default.clone());
        };
        if let Some(config) = self
            .cache
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .get(&found)
        {
            return Ok(config.clone());
        }
        let config = Arc::new(load(&found)?);
        self.cache
            .lock()
            .map_err(|_| anyhow::anyhow!("poisoned"))?
            .insert(found, config.clone());
        Ok(config)
    }
}

fn find(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file())
    })
}

fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read configuration {}", path.display()))?;
    let shown = path.display().to_string();
    let config = parse_config(
        &text,
        &shown,
        &|s| rules::lookup(s).map(|r| r.code),
        &catalog::is_vendor,
    )?;
    Ok(config)
}
