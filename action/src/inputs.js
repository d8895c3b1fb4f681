// The action's inputs, read from the runner's INPUT_* variables and checked before any work
// starts, so a typo fails the step with a message naming the input (exit code 2).

import * as core from "@actions/core";

export class InputError extends Error {}

const FAIL_ON = ["error", "warning", "info", "never"];

/** `true`/`false` in the spellings YAML 1.2's core schema accepts, as @actions/core's getBooleanInput. */
function boolean(name, fallback) {
  const text = core.getInput(name).trim();
  if (text === "") return fallback;
  if (["true", "True", "TRUE"].includes(text)) return true;
  if (["false", "False", "FALSE"].includes(text)) return false;
  throw new InputError(`input ${name}: ${JSON.stringify(text)} is not a boolean: use true or false`);
}

function optional(name) {
  const text = core.getInput(name).trim();
  return text === "" ? null : text;
}

/** One entry a line; blank lines and lines starting with `#` are skipped. */
function lines(name) {
  return core
    .getInput(name)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
}

/**
 * Everything the run needs from the inputs and the event. `event` is the parsed event payload
 * (`GITHUB_EVENT_PATH`), or `{}`.
 */
export function readInputs(event, env = process.env) {
  // pull_request and pull_request_target carry the pull request; so does an issue comment on one.
  const pull =
    event.pull_request ??
    (event.issue?.pull_request && event.issue?.number ? { number: event.issue.number } : null);

  const paths = lines("paths");
  const buildArgs = lines("build-args");
  for (const arg of buildArgs) {
    const eq = arg.indexOf("=");
    if (eq < 0) throw new InputError(`input build-args: ${JSON.stringify(arg)}: expected NAME=VALUE`);
    if (eq === 0) throw new InputError(`input build-args: ${JSON.stringify(arg)}: the name is empty`);
  }

  const failOn = optional("fail-on");
  if (failOn !== null && !FAIL_ON.includes(failOn)) {
    throw new InputError(
      `input fail-on: ${JSON.stringify(failOn)}: expected one of ${FAIL_ON.join(", ")}`,
    );
  }

  const key = optional("key");
  // As `minicheck comment --key`: it goes inside an HTML comment, so no "--".
  if (key !== null && (!/^[A-Za-z0-9\-_.:/+=@,]{1,128}$/.test(key) || key.includes("--"))) {
    throw new InputError('input key: use 1 to 128 letters, digits and - _ . : / + = @ , (no "--")');
  }

  const token = optional("github-token");
  const registryPassword = optional("registry-password");
  // Masked before anything can print them.
  if (token) core.setSecret(token);
  if (registryPassword) core.setSecret(registryPassword);
  const registryUsername = optional("registry-username");
  if ((registryUsername === null) !== (registryPassword === null)) {
    throw new InputError("inputs registry-username and registry-password go together: set both or neither");
  }
  const registryHost =
    optional("registry-host")?.replace(/^https?:\/\//, "").replace(/\/+$/, "").toLowerCase() ?? null;
  if (registryUsername !== null && registryHost === null) {
    // Never sent to every registry a Dockerfile names (Docker Hub, the vendors' registries).
    throw new InputError("input registry-host: name the registry the credentials are for (ghcr.io, registry.example.com:5000)");
  }

  const timeout = optional("registry-timeout") ?? "30";
  if (!/^\d+(\.\d+)?$/.test(timeout) || Number(timeout) <= 0 || Number(timeout) > 3600) {
    throw new InputError(`input registry-timeout: ${JSON.stringify(timeout)}: expected seconds, more than 0 and at most 3600`);
  }

  return {
    registryTimeoutMs: Number(timeout) * 1000,
    paths: paths.length ? paths : ["."],
    config: optional("config"),
    target: optional("target"),
    buildArgs,
    platform: optional("platform") ?? "linux/amd64",
    failOn,
    comment: boolean("comment", pull !== null),
    compare: boolean("compare", true),
    review: boolean("review", false),
    baseRef: optional("base-ref") ?? pull?.base?.sha ?? null,
    // Set when the base comes from the event, so that one read from GitHub may fill it in.
    baseRefGiven: optional("base-ref") !== null,
    token,
    sarifFile: optional("sarif-file"),
    registry:
      registryUsername === null
        ? null
        : { username: registryUsername, password: registryPassword, host: registryHost },
    key,
    pull:
      pull === null
        ? null
        : {
            number: pull.number,
            // Only pull_request events name the head; an issue comment does not.
            headSha: pull.head?.sha ?? null,
            baseSha: pull.base?.sha ?? null,
          },
    repository: env.GITHUB_REPOSITORY ?? event.repository?.full_name ?? null,
    apiUrl: env.GITHUB_API_URL || "https://api.github.com",
    serverUrl: env.GITHUB_SERVER_URL || "https://github.com",
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    sha: pull?.head?.sha ?? env.GITHUB_SHA ?? null,
  };
}
