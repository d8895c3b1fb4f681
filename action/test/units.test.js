// Unit tests of the action's own logic (the parts that are not the core): input reading,
// file discovery, diff hunks, Retry-After and the comment key. The whole action is tested end
// to end by tests/integration/action.rs, which runs the committed dist/ with Node 24.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { readInputs, InputError } from "../src/inputs.js";
import { discover, configsFor, isDockerfileName, readText, FileError } from "../src/files.js";
import { addedLines } from "../src/github.js";
import { retryAfterMs, isLoopback } from "../src/registry.js";
import { commentKey } from "../src/main.js";

function withInputs(inputs, fn) {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
  try {
    return fn();
  } finally {
    process.env = saved;
  }
}

const PR_EVENT = { pull_request: { number: 7, head: { sha: "h".repeat(40) }, base: { sha: "b".repeat(40) } } };

test("inputs: defaults, and the pull request's base and head", () => {
  const inputs = withInputs({}, () => readInputs(PR_EVENT, { GITHUB_REPOSITORY: "o/r" }));
  assert.deepEqual(inputs.paths, ["."]);
  assert.equal(inputs.platform, "linux/amd64");
  assert.equal(inputs.failOn, null);
  assert.equal(inputs.comment, true, "comment defaults to true on pull requests");
  assert.equal(inputs.compare, true);
  assert.equal(inputs.review, false);
  assert.equal(inputs.baseRef, "b".repeat(40));
  assert.equal(inputs.pull.headSha, "h".repeat(40));
  const keyed = withInputs({ key: "py=3.13,arm64@lint" }, () => readInputs({}, {}));
  assert.equal(keyed.key, "py=3.13,arm64@lint");
  const onComment = withInputs({}, () => readInputs({ issue: { number: 9, pull_request: {} } }, {}));
  assert.equal(onComment.pull.number, 9);
  assert.equal(onComment.pull.headSha, null, "an issue comment names no head commit");
  assert.equal(onComment.comment, true);
  const push = withInputs({}, () => readInputs({}, {}));
  assert.equal(push.comment, false, "and to false elsewhere");
  assert.equal(push.baseRef, null);
});

test("inputs: lists one a line, booleans, build args", () => {
  const inputs = withInputs(
    {
      paths: "app\n\n# a comment\n  api/Dockerfile  \n",
      "build-args": "VERSION=3.13\nEMPTY=",
      comment: "false",
      review: "True",
      "fail-on": "warning",
      "base-ref": "origin/main",
    },
    () => readInputs(PR_EVENT, {}),
  );
  assert.deepEqual(inputs.paths, ["app", "api/Dockerfile"]);
  assert.deepEqual(inputs.buildArgs, ["VERSION=3.13", "EMPTY="]);
  assert.equal(inputs.comment, false);
  assert.equal(inputs.review, true);
  assert.equal(inputs.failOn, "warning");
  assert.equal(inputs.baseRef, "origin/main");
});

test("inputs: every bad value is an InputError naming the input", () => {
  const cases = [
    [{ "fail-on": "fatal" }, /input fail-on: "fatal": expected one of error, warning, info, never/],
    [{ "build-args": "NOEQUALS" }, /input build-args: "NOEQUALS": expected NAME=VALUE/],
    [{ "build-args": "=x" }, /the name is empty/],
    [{ compare: "yes" }, /input compare: "yes" is not a boolean/],
    [{ "registry-username": "u" }, /registry-username and registry-password go together/],
    [{ key: "a b" }, /input key:/],
    [{ key: "a--b" }, /no "--"/],
    [{ "registry-timeout": "0" }, /input registry-timeout: "0": expected seconds/],
    [{ "registry-timeout": "soon" }, /input registry-timeout/],
  ];
  for (const [inputs, message] of cases) {
    assert.throws(() => withInputs(inputs, () => readInputs({}, {})), (e) => e instanceof InputError && message.test(e.message));
  }
});

test("files: Dockerfile names as the CLI knows them", () => {
  for (const name of ["Dockerfile", "Containerfile", "api.Dockerfile", "Dockerfile.prod", "app.containerfile"]) {
    assert.ok(isDockerfileName(name), name);
  }
  for (const name of ["Dockerfile-notes.md", "README", "dockerfiles", "compose.yaml"]) {
    assert.ok(!isDockerfileName(name), name);
  }
});

function tree(files) {
  const dir = mkdtempSync(path.join(tmpdir(), "minicheck-action-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test("files: directories are searched, sorted, with .gitignore honoured in a git work tree", () => {
  const dir = tree({
    "b/Dockerfile": "FROM scratch\n",
    "a/api.Dockerfile": "FROM scratch\n",
    "a/notes.md": "",
    "vendor/Dockerfile": "FROM scratch\n",
    ".gitignore": "vendor/\n",
  });
  // Outside git every Dockerfile counts.
  assert.deepEqual(discover(["."], dir), ["a/api.Dockerfile", "b/Dockerfile", "vendor/Dockerfile"]);
  execFileSync("git", ["init", "-q"], { cwd: dir });
  assert.deepEqual(discover(["."], dir), ["a/api.Dockerfile", "b/Dockerfile"]);
  // Files as given, duplicates once.
  assert.deepEqual(discover(["./b/Dockerfile", "b", "a"], dir), ["b/Dockerfile", "a/api.Dockerfile"]);
  assert.throws(() => discover(["missing"], dir), (e) => e instanceof FileError && /cannot read missing: no such file/.test(e.message));
});

test("files: the nearest configuration up the tree, or the one named for all", () => {
  const dir = tree({
    ".minicheck.yaml": "failure-threshold: warning\n",
    "a/Dockerfile": "FROM scratch\n",
    "b/.minicheck.yml": "ignore: [MC004]\n",
    "b/c/Dockerfile": "FROM scratch\n",
    "other.yaml": "require-digest: true\n",
  });
  const found = configsFor(["a/Dockerfile", "b/c/Dockerfile"], null, dir);
  assert.equal(found[0].configPath, ".minicheck.yaml");
  assert.equal(found[1].configPath, "b/.minicheck.yml");
  assert.equal(found[1].config, "ignore: [MC004]\n");
  const named = configsFor(["a/Dockerfile", "b/c/Dockerfile"], "other.yaml", dir);
  assert.ok(named.every((c) => c.configPath === "other.yaml"));
  assert.throws(() => configsFor(["a/Dockerfile"], "nope.yaml", dir), /cannot read configuration nope.yaml/);
  assert.equal(readText("a/Dockerfile", dir), "FROM scratch\n");
});

test("diff hunks: new-side numbers of added lines only", () => {
  const patch = [
    "@@ -1,3 +1,4 @@",
    " FROM a AS build",
    "-RUN old",
    "+RUN new",
    "+RUN more",
    " ",
    "@@ -10,2 +11,2 @@ FROM b",
    "-FROM a AS final",
    "+FROM b AS final",
    "\\ No newline at end of file",
  ].join("\n");
  assert.deepEqual([...addedLines(patch)], [2, 3, 11]);
  assert.deepEqual([...addedLines("")], []);
});

test("Retry-After: seconds or a date, capped at 10 s", () => {
  assert.equal(retryAfterMs("2"), 2000);
  assert.equal(retryAfterMs("3600"), 10_000);
  assert.equal(retryAfterMs(new Date(5_000).toUTCString(), 0), 5000);
  assert.equal(retryAfterMs("soon"), null);
  assert.equal(retryAfterMs(null), null);
});

test("comment key: stable for the same job and inputs, different per job or matrix inputs", () => {
  const inputs = { target: null, platform: "linux/amd64", buildArgs: [], config: null, paths: ["."] };
  const env = { GITHUB_WORKFLOW: "CI", GITHUB_JOB: "lint" };
  const a = commentKey(inputs, env);
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.equal(a, commentKey({ ...inputs }, { ...env }));
  assert.notEqual(a, commentKey(inputs, { ...env, GITHUB_JOB: "other" }));
  assert.notEqual(a, commentKey({ ...inputs, platform: "linux/arm64" }, env));
  // A matrix over a build argument's value: one comment per leg.
  assert.notEqual(
    commentKey({ ...inputs, buildArgs: ["PY=3.12"] }, env),
    commentKey({ ...inputs, buildArgs: ["PY=3.13"] }, env),
  );
  assert.notEqual(a, commentKey({ ...inputs, paths: ["api"] }, env));
});

test("loopback registries, and only they, are spoken to over plain HTTP", () => {
  for (const host of ["localhost", "localhost:5000", "127.0.0.1:5000", "127.8.9.10", "[::1]:5000", "reg.localhost"]) {
    assert.ok(isLoopback(host), host);
  }
  for (const host of ["127.0.0.1.nip.io", "127.example.com", "registry-1.docker.io", "10.0.0.1:5000", "[::2]:5000"]) {
    assert.ok(!isLoopback(host), host);
  }
});

test("files: a link out of the workspace is not read; a directory's links are not followed", () => {
  const dir = tree({ "app/Dockerfile": "FROM scratch\n" });
  const outside = tree({ "secret": "FROM secret\n" });
  symlinkSync(path.join(outside, "secret"), path.join(dir, "Dockerfile"));
  symlinkSync(path.join(dir, "app", "Dockerfile"), path.join(dir, "inside.Dockerfile"));
  assert.throws(() => readText("Dockerfile", dir), /links outside the workspace/);
  assert.equal(readText("inside.Dockerfile", dir), "FROM scratch\n");
  assert.deepEqual(discover(["."], dir), ["app/Dockerfile"]);
  assert.throws(() => readText("app", dir), /not a regular file|EISDIR|cannot read/);
});
