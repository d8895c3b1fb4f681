//! The hooks in `.pre-commit-hooks.yaml`, run by the real pre-commit as `pre-commit try-repo`
//! in a scratch git repository: what users get from their `.pre-commit-config.yaml`.
//!
//! pre-commit comes from `scripts/setup-and-test`, which installs the pinned version into
//! `target/pre-commit-venv`. Without it these tests fail (they never skip).

use crate::common::repo_root;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The version `scripts/setup-and-test` pins.
const PRE_COMMIT_VERSION: &str = "4.7.0";

// The rules grow; these two stay what they are: one syntax error, and no error at all.
const BAD: &str = "FROM alpine\nENV PATH\n";
const GOOD: &str =
    "FROM golang:1.23 AS build\nRUN go build -o /app\nFROM scratch\nCOPY --from=build /app /app\n";
const GOOD_PATHS: [&str; 8] = [
    "deploy/Containerfile",
    "deploy/Dockerfile.prod",
    "svc/api/Dockerfile",
    "svc/api.Dockerfile",
    "svc/app.Containerfile",
    "svc/Containerfile.dev",
    "svc/worker/Dockerfile",
    "svc/worker/Dockerfile.debug",
];
const FINDING: &str = "Dockerfile:2:1: MC000 [error] ENV must have two arguments";

/// `language: rust`: pre-commit builds minicheck from the working tree with `cargo install`.
#[test]
fn rust_hook_builds_minicheck_and_checks_only_dockerfiles() {
    let scratch = Scratch::new();
    // A `minicheck` on PATH that must not be the one that runs: the hook uses the binary that
    // pre-commit installed into its own environment, which comes first on PATH.
    let decoy = scratch.decoy_bin();
    hook_scenario(&scratch, "minicheck", &decoy);
}

/// `language: system`: the `minicheck` already on PATH (here the binary under test).
#[test]
fn system_hook_runs_minicheck_from_path_and_checks_only_dockerfiles() {
    let scratch = Scratch::new();
    let built = Path::new(env!("CARGO_BIN_EXE_minicheck"));
    let bin_dir = built.parent().expect("the binary's directory");

    // Only a README.md (whose text would be an error if it were checked as a Dockerfile):
    // pre-commit runs nothing.
    let r = scratch.try_repo("minicheck-system", bin_dir);
    assert_eq!(r.code, 0, "{}", r.text);
    assert!(
        hook_line(&r.text).contains("(no files to check)")
            && hook_line(&r.text).ends_with("Skipped"),
        "{}",
        r.text
    );
    assert!(!r.text.contains("MC000"), "{}", r.text);

    hook_scenario(&scratch, "minicheck-system", bin_dir);
}

/// A bad Dockerfile fails the hook with the finding in pre-commit's output; good ones pass;
/// a README.md is never handed to minicheck.
fn hook_scenario(scratch: &Scratch, hook: &str, path_first: &Path) {
    // identify tags all of them `dockerfile`; they are staged, not committed. Nine files make
    // pre-commit split them into batches on a machine with more than one core.
    scratch.write("Dockerfile", BAD);
    for path in GOOD_PATHS {
        scratch.write(path, GOOD);
    }
    scratch.git(&["add", "--", "Dockerfile", "deploy", "svc"]);
    let dockerfiles = 1 + GOOD_PATHS.len() as u32;

    let r = scratch.try_repo(hook, path_first);
    assert_eq!(r.code, 1, "the hook fails:\n{}", r.text);
    assert!(hook_line(&r.text).ends_with("Failed"), "{}", r.text);
    assert!(
        r.text.contains(&format!("- hook id: {hook}\n")),
        "{}",
        r.text
    );
    assert!(r.text.contains("- exit code: 1\n"), "{}", r.text);
    assert!(
        r.text.lines().any(|l| l == FINDING),
        "the finding with path and rule code:\n{}",
        r.text
    );
    assert!(
        !r.text.contains("DECOY"),
        "the PATH's minicheck ran:\n{}",
        r.text
    );
    // minicheck checked exactly the Dockerfiles (in batches run in parallel: the hook is not
    // require_serial), found the one error, and never saw README.md.
    assert_eq!(files_and_errors(&r.text), (dockerfiles, 1), "{}", r.text);
    assert!(!r.text.contains("README.md"), "{}", r.text);

    // Fixed in the working tree and staged: the hook passes.
    scratch.write("Dockerfile", GOOD);
    scratch.git(&["add", "--", "Dockerfile"]);
    let r = scratch.try_repo(hook, path_first);
    assert_eq!(r.code, 0, "the hook passes:\n{}", r.text);
    assert!(hook_line(&r.text).ends_with("Passed"), "{}", r.text);
    assert_eq!(files_and_errors(&r.text), (dockerfiles, 0), "{}", r.text);
    assert!(!r.text.contains("MC000"), "{}", r.text);
}

/// pre-commit's status line for the hook (every hook here is named `minicheck`).
fn hook_line(text: &str) -> &str {
    text.lines()
        .find(|l| l.starts_with("minicheck..."))
        .unwrap_or_else(|| panic!("no status line for the hook:\n{text}"))
}

/// Files checked and errors found, added up over minicheck's summary lines
/// (`2 files checked: no findings`, `1 file checked: 3 findings (1 error, 2 warnings, 0 info)`).
fn files_and_errors(text: &str) -> (u32, u32) {
    let (mut files, mut errors) = (0, 0);
    for line in text.lines() {
        let Some((checked, found)) = line.split_once(" checked: ") else {
            continue;
        };
        let number = |s: &str| -> u32 {
            s.split(' ')
                .next()
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("not a summary line: {line}"))
        };
        files += number(checked);
        if found != "no findings" {
            let counts = found
                .split_once(" (")
                .unwrap_or_else(|| panic!("not a summary line: {line}"))
                .1;
            errors += number(counts);
        }
    }
    (files, errors)
}

struct PreCommitRun {
    code: i32,
    /// stdout then stderr.
    text: String,
}

/// A scratch git repository with a committed README.md, and a snapshot of minicheck's
/// working tree as a hook repository.
struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    fn new() -> Self {
        let scratch = Scratch {
            dir: tempfile::tempdir().expect("tempdir"),
        };
        std::fs::create_dir(scratch.repo()).expect("mkdir");
        scratch.git(&["init", "--quiet"]);
        scratch.git(&["config", "user.name", "minicheck tests"]);
        scratch.git(&["config", "user.email", "tests@minicheck.invalid"]);
        scratch.git(&["config", "commit.gpgsign", "false"]);
        // If README.md were handed to minicheck, it would be an error.
        scratch.write("README.md", BAD);
        scratch.git(&["add", "README.md"]);
        scratch.git(&["commit", "--quiet", "--no-verify", "-m", "initial"]);
        scratch
    }

    /// Where users' files live (pre-commit runs here).
    fn repo(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn write(&self, path: &str, text: &str) {
        let full = self.repo().join(path);
        std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
        std::fs::write(full, text).expect("write");
    }

    fn git(&self, args: &[&str]) {
        git(&self.repo(), args);
    }

    /// A directory with a `minicheck` that only complains.
    fn decoy_bin(&self) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let dir = self.dir.path().join("decoy-bin");
        std::fs::create_dir(&dir).expect("mkdir");
        let exe = dir.join("minicheck");
        std::fs::write(
            &exe,
            "#!/bin/sh\necho 'DECOY: the minicheck from PATH ran' >&2\nexit 3\n",
        )
        .expect("write");
        std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).expect("chmod");
        dir
    }

    /// `pre-commit try-repo <hook repository> HOOK --all-files` with `path_first` first on PATH.
    fn try_repo(&self, hook: &str, path_first: &Path) -> PreCommitRun {
        let hooks_repo = snapshot_working_tree(&self.dir.path().join("hooks-repo"));
        let mut path = vec![path_first.to_path_buf()];
        path.extend(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        ));
        let mut cmd = clean_command(&pre_commit());
        cmd.current_dir(self.repo())
            .args(["try-repo", "--all-files", "--verbose", "--color", "never"])
            .arg(&hooks_repo)
            .arg(hook)
            .env("PATH", std::env::join_paths(path).expect("PATH"))
            // pre-commit's own store (try-repo clones and installs into a temporary one).
            .env("PRE_COMMIT_HOME", target_tmp().join("pre-commit-home"))
            // `cargo install` builds here instead of in the throwaway clone, so later runs
            // reuse the compiled dependencies.
            .env(
                "CARGO_TARGET_DIR",
                target_tmp().join("pre-commit-cargo-target"),
            );
        let out = cmd.output().expect("pre-commit runs");
        PreCommitRun {
            code: out.status.code().expect("exit code"),
            text: String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        }
    }
}

/// The pinned pre-commit that `scripts/setup-and-test` installs.
fn pre_commit() -> PathBuf {
    let exe = repo_root().join("target/pre-commit-venv/bin/pre-commit");
    let how = "run scripts/setup-and-test, which installs it";
    let out = Command::new(&exe)
        .arg("--version")
        .output()
        .unwrap_or_else(|e| panic!("pre-commit is missing ({}: {e}): {how}", exe.display()));
    let version = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        version.trim(),
        format!("pre-commit {PRE_COMMIT_VERSION}"),
        "{} is not the pinned version: {how}",
        exe.display()
    );
    exe
}

/// A command that inherits nothing from the outer `cargo test` or a surrounding git hook that
/// would steer pre-commit, git, its `cargo install` or minicheck's output.
fn clean_command(program: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.stdin(Stdio::null());
    for (key, _) in std::env::vars_os() {
        let Some(key) = key.to_str() else { continue };
        let leaks = [
            "CARGO",
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET_DIR",
            "CARGO_BUILD_TARGET",
            "CARGO_MANIFEST_DIR",
            "CARGO_MANIFEST_PATH",
            "CARGO_CRATE_NAME",
            "CARGO_PRIMARY_PACKAGE",
            "CARGO_TARGET_TMPDIR",
            "CARGO_MAKEFLAGS",
            "RUSTUP_TOOLCHAIN",
            "RUSTUP_TOOLCHAIN_SOURCE",
            "RUST_RECURSION_COUNT",
            "SKIP",
            "NO_COLOR",
            "CLICOLOR_FORCE",
            "GITHUB_ACTIONS",
            "CI",
        ]
        .contains(&key)
            || ["CARGO_PKG_", "CARGO_BIN_", "GIT_", "PRE_COMMIT"]
                .iter()
                .any(|prefix| key.starts_with(prefix));
        if leaks {
            cmd.env_remove(key);
        }
    }
    cmd
}

fn git(dir: &Path, args: &[&str]) {
    let out = clean_command(Path::new("git"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies minicheck's working tree as it is (tracked files with their changes, and untracked
/// files that are not ignored) into a new git repository with one commit, and returns it.
///
/// `pre-commit try-repo <path>` alone takes HEAD, or HEAD plus changes to tracked files: a new
/// file nobody has `git add`ed yet would be missing from the hook repository.
fn snapshot_working_tree(to: &Path) -> PathBuf {
    let root = repo_root();
    let listed = clean_command(Path::new("git"))
        .current_dir(&root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .output()
        .expect("git runs");
    assert!(
        listed.status.success(),
        "git ls-files in {}",
        root.display()
    );
    if to.exists() {
        std::fs::remove_dir_all(to).expect("rm");
    }
    for path in String::from_utf8(listed.stdout)
        .expect("utf-8 paths")
        .split_terminator('\0')
    {
        let from = root.join(path);
        if !from.is_file() {
            continue; // deleted in the working tree
        }
        let dest = to.join(path);
        std::fs::create_dir_all(dest.parent().expect("parent")).expect("mkdir");
        std::fs::copy(&from, &dest).expect("copy");
    }
    assert!(
        to.join(".pre-commit-hooks.yaml").is_file(),
        "the snapshot has the hooks file"
    );
    git(to, &["init", "--quiet"]);
    git(to, &["add", "--all"]);
    git(
        to,
        &[
            "-c",
            "user.name=minicheck tests",
            "-c",
            "user.email=tests@minicheck.invalid",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--quiet",
            "--no-verify",
            "-m",
            "working tree",
        ],
    );
    to.to_path_buf()
}

/// Cargo's scratch directory for integration tests, kept between runs.
fn target_tmp() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
}
