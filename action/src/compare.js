// `compare: true`: per Dockerfile, the final image's compressed size and SBOM package count
// beside its dev twin's and beside the base revision's. The core plans what to compare
// (planComparisons) and assembles the result (completeComparisons); this module reads the base
// revision's Dockerfiles (git, else GitHub's contents API) and fetches the images.

import { execFileSync } from "node:child_process";
import * as mc from "./wasm.js";
import { fetchImages } from "./registry.js";
import { fileAt } from "./github.js";

/** Whether git has the commit `ref` names (a shallow checkout lacks the base). */
function gitHas(ref, cwd) {
  try {
    execFileSync("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], {
      cwd,
      stdio: "ignore",
    });
    return true;
  } catch {
    return false;
  }
}

/** The file at `ref` with git: its text, or `null` when it did not exist there. git words an
 * unknown revision as it words a missing path, so the caller checks the revision first. */
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
    throw new Error(`git show ${ref}:./${file}: ${stderr.trim()}`);
  }
}

/** The base revision's text of each file, in order; `null` for a file new since then. */
export async function baseTexts(files, baseRef, { cwd, github, pr }) {
  const local = gitHas(baseRef, cwd);
  if (!local && (!github || !pr)) {
    throw new Error(
      `git does not have ${baseRef} (check out with fetch-depth: 0) and there is no pull request to ask GitHub`,
    );
  }
  const out = [];
  for (const file of files) {
    out.push(local ? gitShow(baseRef, file.path, cwd) : await fileAt(github, pr, file.path, baseRef));
  }
  return out;
}

/** The comparisons to put in the report (`CheckOptions.comparisons`). */
export async function comparisons(files, checkOptions, { baseRef, texts, registry }) {
  const { plans, images } = mc.planComparisons(files, checkOptions, baseRef ? { baseRef, texts } : null);
  const fetched = await fetchImages(images, registry);
  return mc.completeComparisons(plans, fetched);
}
