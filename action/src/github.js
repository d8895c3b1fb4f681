// The pull-request comment and review, through GitHub's REST API (@octokit/core with the
// pagination plugin). Only the four routes below are used; every failure becomes a
// `GithubError` that says which step failed and whether it was a permission problem (a fork's
// or Dependabot's read-only token), which the caller turns into a warning.

import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";

const GithubClient = Octokit.plugin(paginateRest);

export class GithubError extends Error {
  constructor(step, error) {
    const status = error?.status ?? null;
    const detail = error?.response?.data?.message ?? error?.message ?? String(error);
    super(`${step}: ${status ? `${status} ` : ""}${detail}`);
    this.status = status;
    // 403 and 404 on a write: the token may not write here (GitHub answers 404 to tokens that
    // cannot see a private repository). A rate limit is a 403 too, but not a permission problem.
    this.permission =
      (status === 403 || status === 404) &&
      error?.response?.headers?.["x-ratelimit-remaining"] !== "0";
  }
}

const TIMEOUT_MS = 60_000;
const RETRIES = 3;
const RETRY_DELAY_MS = 500;

/**
 * Node's fetch with a time limit per request, and reads retried on network errors and 502,
 * 503, 504 (as the CLI's client does): a stalled connection or a passing outage of GitHub
 * must not hang the job or lose the comment. Writes are not retried here: a lost answer to a
 * creation is handled by looking again (`upsertComment`).
 */
export async function patientFetch(url, init = {}) {
  const method = (init.method ?? "GET").toUpperCase();
  const retries = method === "GET" ? RETRIES : 0;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (attempt < retries && [502, 503, 504].includes(response.status)) {
        await response.body?.cancel().catch(() => {});
      } else {
        return response;
      }
    } catch (error) {
      if (attempt >= retries || error?.name === "TimeoutError") throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * 2 ** attempt));
  }
}

export function client({ token, apiUrl, userAgent }) {
  return new GithubClient({
    auth: token,
    baseUrl: apiUrl.replace(/\/+$/, ""),
    userAgent,
    request: { fetch: patientFetch },
    // Failures are reported once, by the caller.
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
}

async function step(name, call) {
  try {
    return await call();
  } catch (error) {
    throw new GithubError(name, error);
  }
}

/** Who writes with this token: a login, or `null` for an installation token (`/user` is 403),
 * whose comments are written by a bot. */
async function author(octokit) {
  try {
    const { data } = await octokit.request("GET /user");
    return data.login;
  } catch (error) {
    if (error?.status === 403 && error?.response?.headers?.["x-ratelimit-remaining"] !== "0") return null;
    throw new GithubError("identify the token's user", error);
  }
}

function wroteIt(login) {
  return (item) => (login === null ? item.user?.type === "Bot" : item.user?.login === login);
}

/**
 * Keeps ONE comment with `marker` on the pull request: updates the oldest one this token's user
 * wrote, or creates it. Returns `{action: "created"|"updated"|"unchanged", url}`.
 */
export async function upsertComment(octokit, { owner, repo, number }, marker, body) {
  const login = await author(octokit);
  const mine = wroteIt(login);
  const find = () =>
    step("list the pull request's comments", async () => {
      for await (const page of octokit.paginate.iterator(
        "GET /repos/{owner}/{repo}/issues/{issue_number}/comments",
        { owner, repo, issue_number: number, per_page: 100 },
      )) {
        const found = page.data.find((c) => mine(c) && (c.body ?? "").includes(marker));
        if (found) return found;
      }
      return null;
    });
  const update = async (existing) => {
    if (existing.body === body) return { action: "unchanged", url: existing.html_url };
    const { data } = await step("update the comment", () =>
      octokit.request("PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}", {
        owner,
        repo,
        comment_id: existing.id,
        body,
      }),
    );
    return { action: "updated", url: data.html_url };
  };

  const existing = await find();
  if (existing) return update(existing);
  try {
    const { data } = await octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner,
      repo,
      issue_number: number,
      body,
    });
    return { action: "created", url: data.html_url };
  } catch (error) {
    const failure = new GithubError("create the comment", error);
    // A 5xx may come after GitHub stored the comment: look again before writing a second one.
    if (failure.status === null || failure.status >= 500) {
      const stored = await find();
      if (stored) {
        const done = await update(stored);
        return { action: "created", url: done.url };
      }
    }
    throw failure;
  }
}

/**
 * The lines of each file the pull request changed on its new side (`+` lines), from the
 * files' patches: `Map<path, Set<line>>`. Context lines are left out: a review comments on
 * what the pull request did.
 */
export async function changedLines(octokit, { owner, repo, number }) {
  const files = await step("list the pull request's files", () =>
    octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/files", {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
    }),
  );
  const out = new Map();
  for (const file of files) {
    if (typeof file.patch === "string") out.set(file.filename, addedLines(file.patch));
  }
  return out;
}

/** New-side line numbers of the `+` lines of a unified diff's hunks. */
export function addedLines(patch) {
  const lines = new Set();
  let next = null;
  for (const line of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
    } else if (next === null || line.startsWith("\\")) {
      // before the first hunk, or "\ No newline at end of file"
    } else if (line.startsWith("+")) {
      lines.add(next++);
    } else if (line.startsWith(" ") || line === "") {
      next++;
    }
    // "-" lines exist only on the old side.
  }
  return lines;
}

/**
 * Posts the comments on lines the pull request added as ONE review, leaving out those already
 * made (same path, line and rule marker) by an earlier run. Returns
 * `{posted, skipped, outside}`: comments posted, already there, and on unchanged lines.
 */
export async function postReview(octokit, pr, commitId, comments) {
  const changed = await changedLines(octokit, pr);
  const onChanged = comments.filter((c) => {
    const lines = changed.get(c.path);
    if (!lines) return false;
    for (let l = c.start_line; l <= c.line; l++) if (!lines.has(l)) return false;
    return true;
  });
  const existing = await step("list the pull request's review comments", () =>
    octokit.paginate("GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", {
      owner: pr.owner,
      repo: pr.repo,
      pull_number: pr.number,
      per_page: 100,
    }),
  );
  const made = new Set(
    existing
      .filter((c) => typeof c.body === "string" && c.body.startsWith("<!-- minicheck-review:"))
      .map((c) => `${c.path}\0${c.line ?? c.original_line}\0${c.body.split("\n", 1)[0]}`),
  );
  const fresh = onChanged.filter((c) => !made.has(`${c.path}\0${c.line}\0${c.marker}`));
  if (fresh.length > 0) {
    await step("post the review", () =>
      octokit.request("POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", {
        owner: pr.owner,
        repo: pr.repo,
        pull_number: pr.number,
        ...(commitId ? { commit_id: commitId } : {}),
        event: "COMMENT",
        body: `minicheck: ${fresh.length} finding${fresh.length === 1 ? "" : "s"} on lines this pull request changed.`,
        comments: fresh.map((c) => ({
          path: c.path,
          line: c.line,
          side: "RIGHT",
          ...(c.start_line < c.line ? { start_line: c.start_line, start_side: "RIGHT" } : {}),
          body: c.body,
        })),
      }),
    );
  }
  return {
    posted: fresh.length,
    skipped: onChanged.length - fresh.length,
    outside: comments.length - onChanged.length,
  };
}

/** The pull request's head and base commits (for events that do not carry them: comments). */
export async function pullRequest(octokit, { owner, repo, number }) {
  const { data } = await step("read the pull request", () =>
    octokit.request("GET /repos/{owner}/{repo}/pulls/{pull_number}", { owner, repo, pull_number: number }),
  );
  return { headSha: data.head?.sha ?? null, baseSha: data.base?.sha ?? null };
}

/** A file's text at `ref` through the contents API; `null` when it does not exist there. */
export async function fileAt(octokit, { owner, repo }, filePath, ref) {
  // Each segment encoded on its own: the path's slashes stay slashes.
  const encoded = filePath.split("/").map(encodeURIComponent).join("/");
  try {
    const { data } = await octokit.request(`GET /repos/{owner}/{repo}/contents/${encoded}`, {
      owner,
      repo,
      ref,
      headers: { accept: "application/vnd.github.raw+json" },
    });
    return typeof data === "string" ? data : new TextDecoder().decode(data);
  } catch (error) {
    if (error?.status === 404) return null;
    throw new GithubError(`read ${filePath} at ${ref}`, error);
  }
}
