//! Running one rule alone on a Dockerfile, for each rule's own tests.

use crate::check::{CheckOptions, check_dockerfile};
use crate::config::Config;
use crate::report::Finding;

/// The findings of rule `code` only, with the default configuration.
pub fn findings(code: &str, text: &str) -> Vec<Finding> {
    findings_with(code, text, &Config::default())
}

pub fn findings_with(code: &str, text: &str, config: &Config) -> Vec<Finding> {
    let options = CheckOptions {
        config: config.clone(),
        ..CheckOptions::default()
    };
    check_dockerfile("Dockerfile", text, &options)
        .findings
        .into_iter()
        .filter(|f| f.code == code)
        .collect()
}

#[track_caller]
pub fn assert_clean(code: &str, text: &str) {
    let f = findings(code, text);
    assert!(f.is_empty(), "expected no {code}, got {f:#?}");
}
