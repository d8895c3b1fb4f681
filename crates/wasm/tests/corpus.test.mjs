// WASM and native give identical JSON for every Dockerfile of the shared corpus: the CLI checks
// the corpus directory once; the module checks the same files, read as the action reads them,
// under the same paths; the two reports must be the same, file by file and as a whole.
// Run by scripts/test-wasm (Node 24). Environment as wasm.test.mjs.

import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const pkg = process.env.WASM_PKG_DIR ?? join(repo, "target/wasm-pkg");
const bin = process.env.MINICHECK_BIN ?? join(repo, "target/debug/minicheck");
const corpus = process.env.CORPUS_DIR ?? resolve(repo, "../shared/corpus");
const m = await import(pathToFileURL(join(pkg, "minicheck_wasm.js")).href);

test("every corpus Dockerfile: the module's JSON is the CLI's JSON", () => {
  const dir = join(corpus, "dockerfiles");
  const r = spawnSync(bin, ["check", "--format", "json", "--fail-on", "never", dir], {
    encoding: "utf8",
    maxBuffer: 512 << 20,
  });
  assert.equal(r.status, 0, r.stderr);
  const native = JSON.parse(r.stdout);
  assert.ok(native.files.length > 450, `the corpus has its ${native.files.length} Dockerfiles`);

  // Read as the action reads them: bytes, decoded leniently as the CLI does, BOM kept.
  const decoder = new TextDecoder("utf-8", { ignoreBOM: true });
  const files = native.files.map((f) => ({ path: f.path, text: decoder.decode(readFileSync(f.path)) }));
  const wasm = m.check(files);

  let differing = [];
  for (let i = 0; i < files.length; i++) {
    try {
      assert.deepStrictEqual(wasm.files[i], native.files[i]);
    } catch {
      differing.push(files[i].path);
    }
  }
  assert.deepEqual(differing, [], `${differing.length} files differ`);
  assert.deepStrictEqual(wasm.summary, native.summary);
  // And byte for byte, through the module's own renderer.
  assert.equal(m.render(files, null, "json"), r.stdout);
  const findings = native.summary.findings;
  assert.ok(findings > 0, "the corpus has findings, so the comparison covers them");
});
