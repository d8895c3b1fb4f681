// Finding and reading the Dockerfiles and their `.minicheck.yaml`, as `minicheck check` does:
// explicit files as given, directories searched for Dockerfile names with .gitignore honoured
// (through git, which the runner's checkout has), and each file's configuration the first
// `.minicheck.yaml` / `.minicheck.yml` walking up from its directory, unless `config` names one.

import { execFileSync } from "node:child_process";
import { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from "node:fs";
import path from "node:path";

export class FileError extends Error {}

/** Dockerfiles are small; anything larger is almost certainly not one (as the CLI). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const CONFIG_NAMES = [".minicheck.yaml", ".minicheck.yml"];

/** The Dockerfile names minicheck looks for in directories (crates/cli/discover.rs). */
export function isDockerfileName(name) {
  const lower = name.toLowerCase();
  return (
    lower === "dockerfile" ||
    lower === "containerfile" ||
    lower.startsWith("dockerfile.") ||
    lower.startsWith("containerfile.") ||
    lower.endsWith(".dockerfile") ||
    lower.endsWith(".containerfile")
  );
}

/** `./a/Dockerfile` → `a/Dockerfile`, with `/` separators. */
function clean(p) {
  let out = p.split(path.sep).join("/");
  while (out.startsWith("./")) out = out.slice(2);
  return out;
}

/** Files under `dir` that git does not ignore; `null` when `dir` is not in a git work tree. */
function gitFiles(dir) {
  try {
    const out = execFileSync(
      "git",
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."],
      { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 256 << 20 },
    );
    return out.split("\0").filter(Boolean);
  } catch {
    return null;
  }
}

/** Every file under `dir` but `.git`, for a directory outside git. */
function walk(dir, prefix = "") {
  const out = [];
  for (const entry of readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    if (entry.name === ".git") continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    // Symbolic links are not followed, as the CLI's walk does not follow them.
    if (entry.isDirectory()) out.push(...walk(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The inputs' paths expanded into Dockerfile paths: files in the order given, each
 * directory's Dockerfiles sorted, duplicates removed. Paths stay as the user spelt them. */
export function discover(paths, cwd = process.cwd()) {
  const found = [];
  for (const given of paths) {
    let stat;
    try {
      stat = statSync(path.resolve(cwd, given));
    } catch (e) {
      throw new FileError(`cannot read ${given}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}`);
    }
    if (stat.isDirectory()) {
      const dir = path.resolve(cwd, given);
      const files = (gitFiles(dir) ?? walk(dir))
        .filter((f) => isDockerfileName(path.posix.basename(f)))
        .map((f) => clean(path.join(given, f)))
        // Regular files only: git lists symbolic links (which the CLI's walk does not follow)
        // and tracked files deleted in the work tree.
        .filter((f) => lstatSync(path.resolve(cwd, f), { throwIfNoEntry: false })?.isFile() === true)
        .sort();
      found.push(...files);
    } else {
      found.push(clean(given));
    }
  }
  return [...new Set(found)];
}

/**
 * A file's text, bounded as the CLI bounds it (at most 8 MiB, whatever the size the file system
 * reports); invalid UTF-8 is replaced, as the CLI does. The file must be a regular file inside
 * `root` (the workspace) when its path goes through a link: a pull request cannot point a Dockerfile at
 * `/proc/self/environ` and have the runner's secrets read into the report.
 */
export function readText(file, cwd = process.cwd(), root = cwd) {
  const full = path.resolve(cwd, file);
  let fd;
  try {
    const real = realpathSync(full);
    // A path that goes through a link must end inside the workspace.
    if (real !== full) {
      const inside = realpathSync(root);
      if (real !== inside && !real.startsWith(inside.endsWith(path.sep) ? inside : inside + path.sep)) {
        throw new FileError(`${file} links outside the workspace (to ${real}): not read`);
      }
    }
    fd = openSync(real, "r");
    if (!fstatSync(fd).isFile()) throw new FileError(`${file} is not a regular file`);
    // Read in chunks up to the limit: the size the file system reports is not trusted
    // (/proc files report 0).
    const chunks = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(64 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      size += n;
      if (size > MAX_FILE_BYTES) {
        throw new FileError(`${file} is larger than ${MAX_FILE_BYTES >> 20} MiB: not a Dockerfile`);
      }
    }
    return new TextDecoder("utf-8", { ignoreBOM: true }).decode(Buffer.concat(chunks, size));
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(`cannot read ${file}: ${e.code === "ENOENT" ? "no such file or directory" : e.message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The configuration for each file: `{config, configPath}` (both `null` without one). With
 * `explicit`, that file for every Dockerfile; else the nearest `.minicheck.yaml` up the tree.
 * Each configuration file is read once.
 */
export function configsFor(files, explicit, cwd = process.cwd()) {
  const texts = new Map();
  const load = (file) => {
    if (!texts.has(file)) {
      try {
        texts.set(file, readFileSync(path.resolve(cwd, file), "utf8"));
      } catch (e) {
        throw new FileError(`cannot read configuration ${file}: ${e.message}`);
      }
    }
    return { config: texts.get(file), configPath: file };
  };
  if (explicit) {
    const shared = load(explicit);
    return files.map(() => shared);
  }
  // The answer for each directory, so a tree of many Dockerfiles asks the file system once per
  // directory, not once per file and level.
  const byDir = new Map();
  const lookup = (dir) => {
    if (byDir.has(dir)) return byDir.get(dir);
    let found = null;
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) {
        const shown = clean(path.relative(cwd, candidate)) || name;
        found = load(shown.startsWith("..") ? candidate : shown);
        break;
      }
    }
    if (found === null) {
      const parent = path.dirname(dir);
      found = parent === dir ? { config: null, configPath: null } : lookup(parent);
    }
    byDir.set(dir, found);
    return found;
  };
  return files.map((file) => lookup(path.dirname(path.resolve(cwd, file))));
}
