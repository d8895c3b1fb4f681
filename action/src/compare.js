// `compare: true`: per Dockerfile, the final image's compressed size and SBOM package count
// beside its dev twin's and beside the base revision's. The core plans what to compare
// (planComparisons) and assembles the result (completeComparisons); this module reads the base
// revision's Dockerfiles (git, else GitHub's contents API) and fetches the images.

import { execFileSync } from "node:child_process";
import * as mc from "./wasm.js";
import { fetchImages } from "./registry.js";
import { fileAt } from "./github.js";

/** The file at `ref` with git: text, `null` when it did not exist there, `undefined` when git
 * does not have the revision (a shallow checkout). */
function gitShow(ref, file, cwd) {
  try {
    return execFileSync("git", ["show", `${ref}:./${file}`], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const stderr = String(error.stderr ?? "");
    if (/does not exist|exists on disk, but not in/.test(stderr)) return null;
    return undefined;
  }
}

/** The base revision's text of each file, in order; `null` for a file new since then. */
export async function baseTexts(files, baseRef, { cwd, github, pr }) {
  const out = [];
  for (const file of files) {
    let text = gitShow(baseRef, file.path, cwd);
    if (text === undefined) {
      if (!github || !pr) {
        throw new Error(
          `cannot read ${file.path} at ${baseRef}: git does not have that revision (check out with fetch-depth: 0) and there is no pull request to ask GitHub`,
        );
      }
      text = await fileAt(github, pr, file.path, baseRef);
    }
    out.push(text);
  }
  return out;
}

/** The comparisons to put in the report (`CheckOptions.comparisons`). */
export async function comparisons(files, checkOptions, { baseRef, texts, registry }) {
  const { plans, images } = mc.planComparisons(files, checkOptions, baseRef ? { baseRef, texts } : null);
  const fetched = await fetchImages(images, registry);
  return mc.completeComparisons(plans, fetched);
}
