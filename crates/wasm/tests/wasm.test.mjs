// The built WebAssembly module, loaded as the GitHub Action will load it, checked against the
// native CLI on the same inputs. Run by scripts/test-wasm (`node --test`, Node 24).
//
// Environment: WASM_PKG_DIR (default target/wasm-pkg), MINICHECK_BIN (default
// target/debug/minicheck), CORPUS_DIR (default ../shared/corpus from the repository).

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const pkg = process.env.WASM_PKG_DIR ?? join(repo, "target/wasm-pkg");
const bin = process.env.MINICHECK_BIN ?? join(repo, "target/debug/minicheck");
const corpus = process.env.CORPUS_DIR ?? resolve(repo, "../shared/corpus");

const started = performance.now();
const m = await import(pathToFileURL(join(pkg, "minicheck_wasm.js")).href);
const importMs = performance.now() - started;

const BAD = readFileSync(join(repo, "examples/broken/dev-final-stage/Dockerfile"), "utf8");
const GOOD = `FROM cgr.dev/chainguard/python:latest-dev AS build
WORKDIR /app
RUN python -m venv /app/venv

FROM cgr.dev/chainguard/python:3.13@sha256:${"a".repeat(64)}
COPY --from=build /app/venv /app/venv
ENTRYPOINT ["python", "main.py"]
`;
const ARGS = `ARG BASE=reg.mini.dev/python
ARG TAG
FROM --platform=$BUILDPLATFORM \${BASE}:\${TAG:-latest}-dev AS build
RUN echo building for $TARGETPLATFORM

FROM build AS debug
FROM \${BASE}:\${TAG} AS app
COPY --from=build /app /app
`;
const CONFIG = `# a policy
override:
  warning: [MC001]
ignored: [MC004]
`;

/** Runs the native CLI in `cwd`; its exit code is not an error (1 means findings). */
function cli(args, cwd) {
  const r = spawnSync(bin, args, { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  assert.ok(r.status === 0 || r.status === 1, `minicheck ${args.join(" ")}: ${r.status} ${r.stderr}`);
  return r.stdout;
}

/** A scratch directory holding `files` ({name: text}), removed after `fn`. */
function inDir(files, fn) {
  const dir = mkdtempSync(join(tmpdir(), "minicheck-wasm-"));
  try {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- the module -------------------------------------------------------------------------------

test("the module exports exactly the functions index.d.ts declares", () => {
  const declared = [...readFileSync(join(repo, "crates/wasm/index.d.ts"), "utf8")
    .matchAll(/^export (?:function|class) (\w+)/gm)].map((x) => x[1]).sort();
  const exported = Object.keys(m).filter((k) => typeof m[k] === "function").sort();
  assert.deepEqual(exported, declared);
  const shipped = readFileSync(join(pkg, "minicheck_wasm.d.ts"), "utf8");
  assert.equal(shipped, readFileSync(join(repo, "crates/wasm/index.d.ts"), "utf8"));
});

test("import instantiates the module; a check is fast", (t) => {
  const runs = 50;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) m.check([{ path: "Dockerfile", text: BAD }]);
  const perCheck = (performance.now() - t0) / runs;
  const size = readFileSync(join(pkg, "minicheck_wasm_bg.wasm")).length;
  t.diagnostic(`module ${size} bytes; import (compile + instantiate) ${importMs.toFixed(1)} ms; ` +
    `check of one Dockerfile ${perCheck.toFixed(2)} ms`);
  const native = inDir({ Dockerfile: GOOD }, (dir) => JSON.parse(cli(["check", "--format", "json", "Dockerfile"], dir)));
  assert.equal(m.version(), native.tool.version);
});

// --- check ------------------------------------------------------------------------------------

test("a bad Dockerfile yields MC001 at the final stage's FROM", () => {
  const report = m.check([{ path: "Dockerfile", text: BAD }]);
  const mc001 = report.files[0].findings.filter((f) => f.rule === "MC001");
  assert.equal(mc001.length, 1);
  assert.deepEqual(
    { line: mc001[0].line, column: mc001[0].column, end_line: mc001[0].end_line, end_column: mc001[0].end_column, severity: mc001[0].severity },
    { line: 9, column: 6, end_line: 9, end_column: 13, severity: "error" },
  );
  assert.equal(report.summary.errors >= 1, true);
});

test("a good Dockerfile yields no finding", () => {
  const report = m.check([{ path: "Dockerfile", text: GOOD }], {});
  assert.deepEqual(report.files[0].findings, []);
  assert.equal(report.files[0].final_stage, 1);
  assert.equal(report.files[0].stages[1].base.image, `cgr.dev/chainguard/python:3.13@sha256:${"a".repeat(64)}`);
});

test("a configuration YAML error throws path:line:column: message", () => {
  const bad = "ignored: [MC001]\nfailure-threshold: sometimes\n";
  assert.throws(
    () => m.check([{ path: "Dockerfile", text: BAD }], { config: bad, configPath: "ci/.minicheck.yaml" }),
    (e) => e instanceof Error && /^ci\/\.minicheck\.yaml:2:20: /.test(e.message),
  );
  assert.throws(() => m.parseConfig("[unclosed\n"), (e) => e instanceof Error && /^\.minicheck\.yaml:\d+:\d+: /.test(e.message));
  // The CLI says the same about the same file.
  inDir({ "cfg.yaml": bad, Dockerfile: BAD }, (dir) => {
    const r = spawnSync(bin, ["check", "--config", "cfg.yaml", "Dockerfile"], { cwd: dir, encoding: "utf8" });
    assert.equal(r.status, 2);
    let message;
    try { m.parseConfig(bad, "cfg.yaml"); } catch (e) { message = e.message; }
    assert.ok(r.stderr.includes(message), `${r.stderr} lacks ${message}`);
  });
});

test("bad arguments throw Errors naming them", () => {
  const files = [{ path: "Dockerfile", text: BAD }];
  assert.throws(() => m.check(files, { buildArgs: ["NOEQUALS"] }), { message: 'buildArgs "NOEQUALS": expected NAME=VALUE' });
  assert.throws(() => m.check(files, { platfrom: "linux/arm64" }), /unknown field `platfrom`/);
  assert.throws(() => m.check(files, { platform: "linux" }), /invalid platform/);
  assert.throws(() => m.check([{ path: "x" }]), { message: "files: missing field `text`" });
  assert.throws(() => m.check([{ path: "x", text: "", confg: "" }]), /^Error: files\[0\]: unknown field `confg`, expected one of `path`, `text`, `config`, `configPath`$/);
  assert.throws(() => m.classifyImage("python", { confg: "" }), /^Error: options: unknown field `confg`/);
  assert.throws(() => m.render(files, null, "xml"), /unknown format "xml"/);
  assert.throws(() => m.explain("MC999"), /no rule "MC999"/);
  assert.throws(() => m.readSbom(new Uint8Array()), { message: "document is empty" });
});

test("options map as the CLI flags do", () => {
  inDir({ Dockerfile: ARGS }, (dir) => {
    const flags = ["--build-arg", "TAG=3.13.5", "--target", "debug", "--platform", "linux/arm64"];
    const native = JSON.parse(cli(["check", "--format", "json", ...flags, "Dockerfile"], dir));
    const asList = m.check([{ path: "Dockerfile", text: ARGS }], { buildArgs: ["TAG=3.13.5"], target: "debug", platform: "linux/arm64" });
    const asMap = m.check([{ path: "Dockerfile", text: ARGS }], { buildArgs: { TAG: "3.13.5" }, target: "debug", platform: "linux/arm64" });
    assert.deepEqual(asList, native);
    assert.deepEqual(asMap, native);
    assert.equal(native.files[0].final_stage, 1);
  });
});

// --- render: the same text as the CLI ---------------------------------------------------------

for (const format of ["json", "human", "sarif", "github", "markdown"]) {
  test(`render ${format} is what \`minicheck check --format ${format}\` prints`, () => {
    const files = { "Dockerfile": BAD, "good.Dockerfile": GOOD, "args.Dockerfile": ARGS, "cfg.yaml": CONFIG };
    inDir(files, (dir) => {
      const names = ["Dockerfile", "good.Dockerfile", "args.Dockerfile"];
      const native = cli(["check", "--format", format, "--color", "never", "--config", "cfg.yaml", ...names], dir);
      const input = names.map((path) => ({ path, text: files[path] }));
      const options = { config: CONFIG, configPath: "cfg.yaml" };
      // The CLI takes the current directory as the repository root.
      const wasm = m.render(input, options, format, format === "human" ? null : { root: dir });
      if (format === "json" || format === "sarif") {
        assert.deepEqual(JSON.parse(wasm), JSON.parse(native));
        assert.equal(wasm, native);
      } else {
        assert.equal(wasm, native);
      }
      if (format === "json") assert.deepEqual(m.check(input, options), JSON.parse(native));
      assert.ok(native.includes("MC001"), "the bad file's finding is in both");
    });
  });
}

test("render options reach the views", () => {
  const files = [{ path: "/repo/app/Dockerfile", text: BAD }];
  const md = m.render(files, null, "markdown", { root: "/repo", title: "minicheck (arm64)", linkBase: "https://github.com/o/r/blob/abc" });
  assert.match(md, /minicheck \(arm64\)/);
  assert.match(md, /https:\/\/github\.com\/o\/r\/blob\/abc\/app\/Dockerfile#L9/);
  assert.match(m.render(files, null, "human", { color: true }), /\x1b\[/);
  assert.doesNotMatch(m.render(files, null, "github", { maxErrors: 0 }), /^::error /m);
  assert.throws(() => m.render(files, null, "markdown", { linkbase: "x" }), /unknown field `linkbase`/);
});

// --- rules ------------------------------------------------------------------------------------

test("rules and explain match `minicheck rules --format json`", () => {
  const native = JSON.parse(cli(["rules", "--format", "json"], repo));
  assert.deepEqual(m.rules(), native);
  assert.deepEqual(m.explain("mc001"), native.find((r) => r.code === "MC001"));
  assert.deepEqual(m.explain("final-stage-dev-image"), m.explain("MC001"));
});

// --- SBOMs and comparisons --------------------------------------------------------------------

const SBOMS = [
  "sbom/spdx/spdx-spec-examples/v2.3/SPDXJSONExample-v2.3.spdx.json",
  "sbom/spdx/spdx-spec-examples/v2.3/SPDXTagExample-v2.3.spdx",
  "sbom/spdx/spdx-examples/software/example11/spdx3.0/sbom.spdx3.json",
  "sbom/spdx/trivy-fixtures/integration/testdata/fixtures/sbom/centos-7-spdx.json",
  "oci/attestations/trivy/integration-testdata-fixtures-sbom-centos-7-cyclonedx.intoto.jsonl",
  "sbom/spdx/trivy-fixtures/pkg/fanal/analyzer/sbom/testdata/postgresql.spdx.json",
  "sbom/cyclonedx/trivy-fixtures/integration/testdata/fixtures/sbom/minikube-kbom.json",
];

test("readSbom counts the packages the native reader counts", () => {
  for (const rel of SBOMS) {
    const path = join(corpus, rel);
    const sbom = m.readSbom(readFileSync(path));
    const native = JSON.parse(cli(["compare", "--format", "json", path, path], repo));
    assert.equal(sbom.packages.length, native.from.packages, rel);
    assert.ok(sbom.packages.length > 0, rel);
    assert.match(sbom.format, /^(spdx2-json|spdx2-tag-value|spdx3-jsonld|cyclonedx-json)$/);
  }
  // Trivy's attestation: one DSSE envelope on one line.
  const bytes = readFileSync(join(corpus, SBOMS[4]));
  const wrapped = m.readSbom(bytes);
  assert.deepEqual(wrapped.wrapper, { kind: "dsse", payloadType: "application/vnd.in-toto+json", predicateType: "https://cyclonedx.org/bom" });
  assert.deepEqual(m.readAllSboms(bytes).map((s) => s.packages.length), [wrapped.packages.length]);
});

test("compare gives `minicheck compare --format json` for two SBOM files", () => {
  const a = join(corpus, SBOMS[3]);
  const b = join(corpus, SBOMS[4]);
  const side = (path) => ({ label: path, packages: m.readSbom(readFileSync(path)).packages });
  const native = JSON.parse(cli(["compare", "--format", "json", a, b], repo));
  assert.deepEqual(m.compare(side(a), side(b)), native);
  for (const format of ["human", "markdown"]) {
    assert.equal(m.renderComparison(side(a), side(b), format), cli(["compare", "--format", format, a, b], repo));
  }
  const diff = m.diffPackages(side(a).packages, side(b).packages);
  assert.equal(diff.added.length, native.added.length);
  assert.equal(diff.unchanged, native.unchanged);
});

test("renderFileComparisons makes the pull-request table", () => {
  const files = [{
    path: "Dockerfile",
    image: "reg.mini.dev/python:3.13.5",
    twin: {
      from: { label: "reg.mini.dev/python:3.13.5-dev", compressedSize: 218_000_000, packages: Array.from({ length: 73 }, (_, i) => ({ name: `p${i}` })) },
      to: { label: "reg.mini.dev/python:3.13.5", compressedSize: 22_000_000, packages: Array.from({ length: 23 }, (_, i) => ({ name: `p${i}` })) },
    },
    base: null,
    notes: ["new since main: no base image"],
  }];
  const md = m.renderFileComparisons(files);
  assert.ok(
    md.includes("| Dockerfile | `reg.mini.dev/python:3.13.5` | 22 MB | 23 | dev twin 218 MB, 73 packages (-196 MB, -50 packages) | — |"),
    md,
  );
  assert.match(md, /- Dockerfile: new since main: no base image/);
  // Carried in the report, the same table ends the Markdown view and the JSON has it.
  const report = m.check([{ path: "Dockerfile", text: GOOD }], { comparisons: files });
  assert.equal(report.comparisons[0].twin.delta.compressed_size, -196_000_000);
  assert.ok(m.render([{ path: "Dockerfile", text: GOOD }], { comparisons: files }, "markdown").endsWith(md));
});

// --- references and the catalog ---------------------------------------------------------------

test("classifyImage names twins; parseImageRef normalises", () => {
  const dev = m.classifyImage("reg.mini.dev/python:3.13.5-dev");
  assert.equal(dev.vendor, "minimus");
  assert.equal(dev.variant, "dev");
  assert.equal(dev.hasShell, true);
  assert.deepEqual(dev.productionTwins.map((t) => t.normalized), ["reg.mini.dev/python:3.13.5"]);
  assert.equal(dev.devTwin, null);
  const prod = m.classifyImage("reg.mini.dev/python:3.13.5", {});
  assert.equal(prod.devTwin.normalized, "reg.mini.dev/python:3.13.5-dev");
  assert.equal(m.classifyImage("python:3.13"), null);
  const mirror = "mirrors:\n  - prefix: ghcr.io/acme/minimus\n    vendor: minimus\n    upstream: reg.mini.dev\n";
  const mirrored = m.classifyImage("ghcr.io/acme/minimus/python:3.13.5-dev", { config: mirror });
  assert.equal(mirrored.upstream, "reg.mini.dev/python:3.13.5-dev");
  assert.equal(mirrored.retired, null);
  assert.deepEqual(m.parseImageRef("python"), {
    domain: "docker.io", path: "library/python", tag: null, digest: null,
    name: "docker.io/library/python", familiar: "python:latest",
    normalized: "docker.io/library/python:latest", tagOrDefault: "latest",
  });
  assert.throws(() => m.parseImageRef("Not A Ref"), /invalid reference format/);
});

// --- registries -------------------------------------------------------------------------------

test("parseWwwAuthenticate -> bearerChallenge -> tokenUrl -> parseTokenResponse", () => {
  const header = 'Basic realm="x", Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"';
  const challenges = m.parseWwwAuthenticate(header);
  assert.deepEqual(challenges.map((c) => c.scheme), ["basic", "bearer"]);
  const bearer = m.bearerChallenge(challenges);
  assert.deepEqual(bearer, {
    scheme: "bearer",
    params: { realm: "https://auth.docker.io/token", service: "registry.docker.io", scope: "repository:library/python:pull" },
    token68: null,
  });
  const scope = m.pullScope("library/python");
  const url = new URL(m.tokenUrl(bearer, [scope]));
  assert.equal(url.origin + url.pathname, "https://auth.docker.io/token");
  assert.equal(url.searchParams.get("service"), "registry.docker.io");
  assert.deepEqual(url.searchParams.getAll("scope"), ["repository:library/python:pull"]);
  assert.throws(() => m.tokenUrl(challenges[0], []), /not Bearer/);
  const token = m.parseTokenResponse(Buffer.from('{"token":"abc","expires_in":"300","issued_at":"2026-01-01T00:00:00Z"}'));
  assert.deepEqual(token, { token: "abc", expiresIn: 300, issuedAt: "2026-01-01T00:00:00Z", lifetimeSecs: 300 });
  assert.equal(m.parseTokenResponse(new TextEncoder().encode('{"access_token":"x"}')).lifetimeSecs, 60);
  assert.throws(() => m.parseTokenResponse(Buffer.from("{}")), /invalid token response/);
  assert.equal(m.bearerChallenge(m.parseWwwAuthenticate('Basic realm="r"')), null);
});

test("verifyDigest, sha256Digest and the tags derived from a digest", () => {
  const bytes = Buffer.from("hello, registry");
  const digest = "sha256:" + createHash("sha256").update(bytes).digest("hex");
  assert.equal(m.sha256Digest(bytes), digest);
  assert.equal(m.verifyDigest(bytes, digest), true);
  assert.equal(m.verifyDigest(Buffer.from("hello, registrY"), digest), false);
  const sha512 = "sha512:" + createHash("sha512").update(bytes).digest("hex");
  assert.equal(m.verifyDigest(bytes, sha512), true);
  assert.equal(m.verifyDigest(bytes, "sha256:nothex"), false);
  assert.equal(m.validateDigest(digest), undefined);
  assert.throws(() => m.validateDigest("sha256:abc"), /invalid digest/);
  const hex = digest.slice(7);
  assert.equal(m.cosignAttestationTag(digest), `sha256-${hex}.att`);
  assert.equal(m.cosignSignatureTag(digest), `sha256-${hex}.sig`);
  assert.equal(m.referrersTag(digest), `sha256-${hex}`);
  assert.equal(m.manifestPath("library/python", "3.13"), "/v2/library/python/manifests/3.13");
  assert.equal(m.blobPath("library/python", digest), `/v2/library/python/blobs/${digest}`);
  assert.equal(m.referrersPath("library/python", digest), `/v2/library/python/referrers/${digest}`);
  assert.equal(m.registryApiHost("docker.io"), "registry-1.docker.io");
  assert.match(m.acceptManifest(), /application\/vnd\.oci\.image\.index\.v1\+json/);
  assert.equal(m.acceptReferrers(), "application/vnd.oci.image.index.v1+json");
  assert.equal(m.maxDocumentSize(), 4 * 1024 * 1024);
});

test("manifests and indexes from containers/image", () => {
  const fixture = (rel) => readFileSync(join(corpus, "oci/containers-image", rel));
  const list = fixture("internal/manifest/testdata/schema2list.json");
  const index = m.parseManifestOrIndex(list, "application/vnd.docker.distribution.manifest.list.v2+json");
  assert.equal(index.document, "index");
  assert.equal(index.kind, "docker-manifest-list");
  assert.equal(m.selectPlatform(list, "linux/aarch64").digest.slice(7, 15), "dc472a59");
  assert.equal(m.selectPlatform(list, "linux/arm/v7", null).digest.slice(7, 15), "b5dbad4b");
  assert.throws(() => m.selectPlatform(list, "windows/amd64"), /^Error: no image for windows\/amd64 in the index \(it has linux\/amd64/);
  assert.throws(() => m.parseManifestOrIndex(list, null, "image"), /select a platform from it first/);
  assert.equal(m.attestationFor(list, "sha256:" + "0".repeat(64)), null);

  const bytes = fixture("internal/manifest/testdata/ociv1.manifest.json");
  const manifest = m.parseManifestOrIndex(bytes, null, "image");
  assert.equal(manifest.document, "manifest");
  const layers = JSON.parse(bytes).layers.reduce((sum, l) => sum + l.size, 0);
  assert.equal(m.compressedSize(bytes), layers);
  assert.equal(layers + manifest.config.size, 129_510);
  assert.deepEqual(m.sbomCandidatesFromManifest(bytes, "buildkit"), []);
  assert.throws(() => m.sbomCandidatesFromManifest(bytes, "nope"), /unknown attestation source/);
  assert.throws(() => m.parseManifestOrIndex(fixture("internal/manifest/testdata/v2s1.manifest.json")), /schema 1 is not supported/);
});

test("SBOM candidates of an attestation manifest and of referrers", () => {
  const d = (c) => "sha256:" + c.repeat(64);
  const attestation = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: d("a"), size: 2 },
    layers: [
      { mediaType: "application/vnd.in-toto+json", digest: d("b"), size: 10, annotations: { "in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2" } },
      { mediaType: "application/vnd.in-toto+json", digest: d("c"), size: 10, annotations: { "in-toto.io/predicate-type": "https://cyclonedx.org/bom" } },
      { mediaType: "application/vnd.in-toto+json", digest: d("e"), size: 10, annotations: { "in-toto.io/predicate-type": "https://spdx.dev/Document" } },
    ],
  }));
  const found = m.sbomCandidatesFromManifest(attestation, "buildkit");
  assert.deepEqual(found.map((c) => [c.descriptor.digest, c.format, c.content, c.source]), [
    [d("e"), "spdx", "in-toto-statement", "buildkit"],
    [d("c"), "cyclonedx", "in-toto-statement", "buildkit"],
  ]);
  const cdxFirst = m.sbomCandidatesFromManifest(attestation, "buildkit", null, ["cyclonedx", "spdx"]);
  assert.equal(cdxFirst[0].format, "cyclonedx");
  const referrers = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: "application/vnd.oci.image.index.v1+json",
    manifests: [
      { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: d("f"), size: 5, artifactType: "application/spdx+json" },
      { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: d("1"), size: 5, artifactType: "application/vnd.dev.cosign.simplesigning.v1+json" },
    ],
  }));
  const refs = m.sbomCandidatesFromReferrers(referrers, "application/vnd.oci.image.index.v1+json");
  assert.deepEqual(refs.map((c) => [c.descriptor.digest, c.format, c.content, c.source]), [[d("f"), "spdx", "manifest", "referrer"]]);
});

test("redact masks tokens as the core does", () => {
  const text = "FROM ghcr.io/x/y:ghp_" + "A".repeat(36);
  const masked = m.redact(text);
  assert.equal(masked.length, text.length);
  assert.ok(!masked.includes("ghp_" + "A".repeat(36)));
});

test("SbomSearch asks in the CLI's order and ends with what it found", () => {
  const image = "sha256:" + "1".repeat(64);
  const search = new m.SbomSearch(image);
  try {
    assert.deepEqual(search.step(), { kind: "referrers", digest: image });
    assert.deepEqual(search.step(), { kind: "referrers", digest: image }, "asked again until answered");
    search.answerNotFound();
    assert.deepEqual(search.step(), { kind: "manifest", reference: "sha256-" + "1".repeat(64) });
    search.answerFailed("503 Service Unavailable");
    assert.deepEqual(search.step(), { kind: "manifest", reference: "sha256-" + "1".repeat(64) + ".att" });
    search.answerNotFound();
    assert.deepEqual(search.step(), {
      kind: "failed",
      problems: [`the referrers tag of ${image}: 503 Service Unavailable`],
    });
  } finally {
    search.free();
  }
  assert.throws(() => new m.SbomSearch("sha256:nothex"), Error);
  assert.throws(() => new m.SbomSearch(image, new Uint8Array([1]), null, null), /go together/);
});
