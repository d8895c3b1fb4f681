//! The minicheck command line: reads files, hands their text to `minicheck-core`, writes the
//! rendered report, and turns the outcome into an exit code (0 clean, 1 findings at or above
//! the threshold, 2 usage, configuration or I/O error).

mod args;
mod check;
mod comment;
mod compare;
mod config;
mod discover;
mod github;
mod output;
mod registry;
mod rules;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success; usage errors exit 2.
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        args::Command::Check(check_args) => check::run(&check_args),
        args::Command::Rules(rules_args) => rules::list(&rules_args),
        args::Command::Explain(explain_args) => rules::explain(&explain_args),
        args::Command::Compare(compare_args) => compare::run(&compare_args),
        args::Command::Comment(comment_args) => comment::run(&comment_args),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            if output::is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("minicheck: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
