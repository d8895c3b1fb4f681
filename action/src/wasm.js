// minicheck's core, compiled to WebAssembly by scripts/build-wasm (crates/wasm). The bundle
// carries the glue; the module itself sits beside dist/index.js and is read when imported.
export * from "../../target/wasm-pkg/minicheck_wasm.js";
