// The action: check the Dockerfiles with minicheck's core (WebAssembly), then annotate, write
// the job summary, outputs and SARIF, keep one pull-request comment, and post review comments.
// Every view is rendered by the core from one report (`analyze`); this file only moves bytes.
//
// Exit codes as the CLI's: 0 clean, 1 findings at or above the threshold, 2 input, config or
// I/O error. GitHub failures on the comment or review never change the result: a read-only
// token (forks, Dependabot) gets a warning and the summary still has the whole report.

import * as core from "@actions/core";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import * as mc from "./wasm.js";
import { readInputs, InputError } from "./inputs.js";
import { discover, readText, configsFor, FileError } from "./files.js";
import { baseTexts, comparisons } from "./compare.js";
import { client, upsertComment, postReview, fileAt, pullRequest } from "./github.js";
import { useProxyFromEnv } from "./proxy.js";

const VERSION = mc.version();
const USER_AGENT = `minicheck-action/${VERSION}`;
/** Below GitHub's 65,536 characters whatever the text. */
const MAX_COMMENT_BYTES = 65_000;
/** A step's summary may hold 1 MiB. */
const MAX_SUMMARY_BYTES = 1_000_000;

/** The hidden first line of the comment: one per workflow, job and inputs (so per matrix leg
 * whose inputs differ), unless the `key` input names it. The inputs as written, not the files
 * found, so a pull request that adds a Dockerfile keeps its comment. FNV-1a 64. */
export function commentKey(inputs, env = process.env) {
  let text = "minicheck-action-key-v1\n";
  text += `workflow=${env.GITHUB_WORKFLOW ?? ""}\njob=${env.GITHUB_JOB ?? ""}\n`;
  text += `target=${inputs.target ?? ""}\nplatform=${inputs.platform}\nconfig=${inputs.config ?? ""}\n`;
  for (const arg of inputs.buildArgs) text += `build-arg=${arg}\n`;
  for (const p of inputs.paths) text += `path=${p}\n`;
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}

function readEvent(env) {
  if (!env.GITHUB_EVENT_PATH) return {};
  try {
    return JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, "utf8"));
  } catch (error) {
    throw new InputError(`cannot read the event payload ${env.GITHUB_EVENT_PATH}: ${error.message}`);
  }
}

function splitRepository(repository) {
  const [owner, repo, extra] = (repository ?? "").split("/");
  return owner && repo && !extra ? { owner, repo } : null;
}

/**
 * Review comments go on the pull request's head commit. When the checkout is another commit
 * (the merge commit `actions/checkout` takes for pull requests), a file whose text differs from
 * the head's would put comments on the wrong lines: its comments are left out.
 */
async function atHead(github, pr, inputs, files, comments, env) {
  const checkedOut = env.GITHUB_SHA;
  if (!inputs.pull.headSha || !checkedOut || checkedOut === inputs.pull.headSha) {
    return { kept: comments, dropped: [] };
  }
  const byPath = new Map(files.map((f) => [f.path.split(path.sep).join("/"), f.text]));
  const same = new Map();
  for (const p of new Set(comments.map((c) => c.path))) {
    const local = byPath.get(p);
    same.set(p, local !== undefined && (await fileAt(github, pr, p, inputs.pull.headSha)) === local);
  }
  return {
    kept: comments.filter((c) => same.get(c.path)),
    dropped: [...same].filter(([, ok]) => !ok).map(([p]) => p),
  };
}

async function run(env = process.env) {
  const started = performance.now();
  if (useProxyFromEnv(env) === "unsupported") {
    core.warning("minicheck: HTTPS_PROXY is set but this Node cannot route fetch through it (Node 24.14 or later can)");
  }
  const inputs = readInputs(readEvent(env), env);
  const cwd = process.cwd();
  const paths = discover(inputs.paths, cwd);
  if (paths.length === 0) core.warning(`minicheck: no Dockerfiles found in ${inputs.paths.join(", ")}`);
  const configs = configsFor(paths, inputs.config, cwd);
  const files = paths.map((p, i) => ({ path: p, text: readText(p, cwd, inputs.workspace), ...configs[i] }));
  // A configuration error is the step's error (exit 2), before any registry request.
  for (const { config, configPath } of new Set(configs)) {
    if (config !== null) mc.parseConfig(config, configPath);
  }
  const checkOptions = {
    target: inputs.target,
    buildArgs: inputs.buildArgs,
    platform: inputs.platform,
  };
  // A bad platform or build argument is the step's error, said once, before any request.
  mc.check([], checkOptions);

  const repository = splitRepository(inputs.repository);
  const pr = inputs.pull && repository ? { ...repository, number: inputs.pull.number } : null;
  const github =
    inputs.token && (inputs.comment || inputs.review || (inputs.compare && (inputs.baseRef || pr)))
      ? client({ token: inputs.token, apiUrl: inputs.apiUrl, userAgent: USER_AGENT })
      : null;
  // An issue comment on a pull request names neither its head nor its base: ask GitHub.
  if (pr && github && !inputs.pull.headSha && (inputs.review || (inputs.compare && !inputs.baseRefGiven))) {
    try {
      const found = await pullRequest(github, pr);
      inputs.pull.headSha = found.headSha;
      if (!inputs.baseRefGiven) inputs.baseRef = found.baseSha;
    } catch (error) {
      core.warning(`minicheck: cannot read pull request #${pr.number}: ${mc.redact(error.message)}`);
    }
  }

  // Size and package deltas; a failure here is a note in the report, never the step's result.
  if (inputs.compare && files.length > 0) {
    try {
      const texts = inputs.baseRef ? await baseTexts(files, inputs.baseRef, { cwd, github, pr }) : null;
      checkOptions.comparisons = await comparisons(files, checkOptions, {
        baseRef: inputs.baseRef,
        texts,
        registry: {
          platform: inputs.platform,
          credentials: inputs.registry,
          userAgent: USER_AGENT,
          timeoutMs: inputs.registryTimeoutMs,
        },
      });
    } catch (error) {
      if (error instanceof InputError || error instanceof FileError) throw error;
      core.warning(`minicheck: the size and package comparison is not available: ${mc.redact(error.message)}`);
    }
  }

  const root = inputs.workspace;
  const linkBase =
    repository && inputs.sha ? `${inputs.serverUrl}/${repository.owner}/${repository.repo}/blob/${inputs.sha}` : null;
  const marker = `<!-- minicheck:${inputs.key ?? commentKey(inputs, env)} -->`;
  const formats = ["github", "markdown"];
  if (inputs.sarifFile) formats.push("sarif");
  const analysis = mc.analyze(files, checkOptions, {
    failOn: inputs.failOn,
    formats,
    renderOptions: {
      root,
      linkBase,
      title: inputs.key ? `minicheck: ${inputs.key}` : "minicheck",
      maxBytes: MAX_COMMENT_BYTES - marker.length - 1,
      // The runner shows 10 of each per step: room for the action's own error and warnings.
      maxErrors: 9,
      maxWarnings: 8,
    },
    summaryMaxBytes: MAX_SUMMARY_BYTES,
    review: inputs.review && pr !== null,
  });
  const { summary } = analysis;

  // Annotations: the core's workflow commands (errors first, within the runner's limits).
  if (analysis.views.github) process.stdout.write(analysis.views.github);
  core.info(
    `minicheck ${VERSION}: ${summary.files} Dockerfile${summary.files === 1 ? "" : "s"}, ` +
      `${summary.errors} error${summary.errors === 1 ? "" : "s"}, ${summary.warnings} warning${summary.warnings === 1 ? "" : "s"}, ${summary.info} info ` +
      `(${Math.round(performance.now() - started)} ms)`,
  );

  // Outputs and the SARIF file come before anything that talks to GitHub.
  core.setOutput("errors", String(summary.errors));
  core.setOutput("warnings", String(summary.warnings));
  core.setOutput("findings", analysis.json.trim());
  // An I/O error here is the step's error (exit 2), but only after the summary and the comment:
  // nothing that was computed is lost.
  let ioError = null;
  if (inputs.sarifFile) {
    try {
      mkdirSync(path.dirname(path.resolve(cwd, inputs.sarifFile)), { recursive: true });
      writeFileSync(path.resolve(cwd, inputs.sarifFile), analysis.views.sarif);
      core.setOutput("sarif-file", inputs.sarifFile);
    } catch (error) {
      ioError = new FileError(`cannot write the SARIF file ${inputs.sarifFile}: ${error.message}`);
    }
  }
  // The whole report in the job summary, first, so it is there whatever GitHub answers.
  if (env.GITHUB_STEP_SUMMARY) {
    try {
      await core.summary.addRaw(analysis.views.summary, true).write();
    } catch (error) {
      ioError ??= new FileError(`cannot write the job summary: ${error.message}`);
    }
  }

  if (inputs.comment && pr) {
    if (!github) {
      core.warning("minicheck: no github-token: the pull-request comment was not written");
    } else {
      try {
        const done = await upsertComment(github, pr, marker, `${marker}\n${analysis.views.markdown}`);
        core.info(
          done.action === "unchanged"
            ? `minicheck: the comment on pull request #${pr.number} is already up to date: ${done.url}`
            : `minicheck: ${done.action} the comment on pull request #${pr.number}: ${done.url}`,
        );
      } catch (error) {
        core.warning(
          error.permission
            ? `minicheck: the pull-request comment could not be written (the token may not write to this repository, as for forks and Dependabot); the report is in the job summary: ${mc.redact(error.message)}`
            : `minicheck: the pull-request comment could not be written; the report is in the job summary: ${mc.redact(error.message)}`,
        );
      }
    }
  } else if (inputs.comment && !inputs.pull) {
    core.info("minicheck: not a pull request: no comment");
  }

  if (inputs.review && pr && !github) {
    core.warning("minicheck: no github-token: the review was not posted");
  } else if (inputs.review && pr && !inputs.pull.headSha) {
    core.info("minicheck: review: this event does not name the pull request's head commit: no review");
  } else if (inputs.review && pr && github) {
    try {
      const comments = await atHead(github, pr, inputs, files, analysis.review, env);
      const done = await postReview(github, pr, inputs.pull.headSha, comments.kept);
      core.info(
        `minicheck: review: ${done.posted} comment${done.posted === 1 ? "" : "s"} posted, ${done.skipped} already there, ${done.outside} on lines this pull request did not change` +
          (comments.dropped.length ? `; none on ${comments.dropped.join(", ")}, checked out other than at the pull request's head` : ""),
      );
    } catch (error) {
      core.warning(`minicheck: the review could not be posted: ${mc.redact(error.message)}`);
    }
  }

  if (ioError) throw ioError;
  if (analysis.failed) {
    core.error(
      `minicheck: findings at or above the threshold in ${analysis.failedFiles.join(", ")}`,
    );
    return 1;
  }
  return 0;
}

export async function main() {
  try {
    process.exitCode = await run();
  } catch (error) {
    const message = mc.redact(error?.message ?? String(error));
    // Input, configuration and I/O errors: a clear message and exit code 2.
    core.setFailed(`minicheck: ${message}`);
    process.exitCode = 2;
  }
}
