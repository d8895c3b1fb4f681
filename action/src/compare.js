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

/** The base revision's text of each file, in order: the text, `null` for a file new since
 * then, or `{error}` when it cannot be read (the core makes that a note). */
export async function baseTexts(files, baseRef, { cwd, github, pr }) {
  const local = gitHas(baseRef, cwd);
  const out = [];
  for (const file of files) {
    try {
      if (local) {
        out.push(gitShow(baseRef, file.path, cwd));
      } else if (github && pr) {
        out.push(await fileAt(github, pr, file.path, baseRef));
      } else {
        out.push({ error: `git does not have ${baseRef} (check out with fetch-depth: 0)` });
      }
    } catch (error) {
      // One file's base that cannot be read is a note on that file, never the others' loss.
      out.push({ error: mc.redact(error.message) });
    }
  }
  return out;
}

/** The comparisons to put in the report (`CheckOptions.comparisons`). */
export async function comparisons(files, checkOptions, { baseRef, texts, registry }) {
  const { plans, images } = mc.planComparisons(files, checkOptions, baseRef ? { baseRef, texts } : null);
  const fetched = await fetchImages(images, registry);
  return mc.completeComparisons(plans, fetched);
}
