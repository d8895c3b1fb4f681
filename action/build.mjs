// Bundles the action into ../dist: index.js (the action's source, @actions/core, @octokit/core
// and the WebAssembly glue, as one ES module), minicheck_wasm_bg.wasm beside it (the glue reads
// it relative to itself), and a package.json that makes Node load index.js as an ES module.
// The output depends only on the sources, the locked packages and the module: check-dist
// rebuilds it and compares.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const out = path.join(root, "dist");
const wasm = path.join(root, "target", "wasm-pkg", "minicheck_wasm_bg.wasm");

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(here, "src", "index.js")],
  outfile: path.join(out, "index.js"),
  bundle: true,
  platform: "node",
  target: "node24",
  format: "esm",
  minify: false,
  legalComments: "eof",
  // Some CommonJS dependencies call require() for Node's own modules.
  banner: {
    js: 'import { createRequire as __minicheckRequire } from "node:module"; const require = __minicheckRequire(import.meta.url);',
  },
  // undici is only reached through @actions/core's OIDC client, which the action never calls
  // (src/stubs/undici.js says why).
  alias: { undici: path.join(here, "src", "stubs", "undici.js") },
  logLevel: "warning",
});
copyFileSync(wasm, path.join(out, "minicheck_wasm_bg.wasm"));
writeFileSync(path.join(out, "package.json"), '{\n  "type": "module"\n}\n');
console.log(`dist/ written from ${path.relative(root, wasm)}`);
