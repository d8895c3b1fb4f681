// Fetching what a comparison needs from OCI registries with `fetch`: the core says what to ask
// (paths, Accept headers, token URLs, which manifests and blobs may hold an SBOM, best first)
// and reads every answer (challenges, tokens, manifests, indexes, attestations, SBOMs); this
// module only moves bytes, with timeouts, retries and size limits.
//
// For one image (`fetchImage`): its manifest (through the index for the platform), the
// compressed size, and its SBOM, searched in the CLI's order (crates/cli/registry/sbom.rs):
// the platform manifest's referrers (API, else the referrers tag), cosign's `.att` tag, the
// BuildKit attestation in the index; then the referrers and `.att` tag of the index itself.

import { isIP } from "node:net";
import * as mc from "./wasm.js";

const MAX_BLOB = 64 * 1024 * 1024;
const RETRIES = 3;
const RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 10_000;
/** Error answers are read this far for their message; the rest is dropped. */
const MAX_ERROR_BODY = 64 * 1024;

export class RegistryError extends Error {
  constructor(message, status = null) {
    super(mc.redact(message));
    this.status = status;
  }
}

/** `HOST[:PORT]` or `[IPv6]:PORT` is this machine (as the CLI's `is_loopback`): only those
 * registries are spoken to over plain HTTP. */
export function isLoopback(host) {
  let name = host.toLowerCase();
  if (name.startsWith("[")) {
    const end = name.indexOf("]");
    if (end < 0) return false;
    name = name.slice(1, end);
  } else {
    name = name.replace(/:\d+$/, "");
  }
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  if (isIP(name) === 4) return name.startsWith("127.");
  if (isIP(name) === 6) return name === "::1" || name === "0:0:0:0:0:0:0:1";
  return false;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** `Retry-After` in seconds or as an HTTP date, as milliseconds from now, capped. */
export function retryAfterMs(header, now = Date.now()) {
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_DELAY_MS) : null;
}

/** `what: `, or nothing when the caller (the core's search) names what was fetched itself. */
const prefix = (what) => (what ? `${what}: ` : "");

/** The body, read up to `limit` bytes; more is an error (the rest is never read). */
async function readBounded(response, limit, what) {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel();
    throw new RegistryError(`${prefix(what)}the answer is ${declared} bytes, more than the ${limit} bytes allowed`);
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.length;
    if (size > limit) {
      await response.body?.cancel().catch(() => {});
      throw new RegistryError(`${prefix(what)}the answer is more than the ${limit} bytes allowed`);
    }
    chunks.push(chunk);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** One registry host: its scheme, credentials and tokens per repository. */
class Host {
  constructor(domain, options) {
    this.domain = domain;
    this.api = mc.registryApiHost(domain);
    this.loopback = isLoopback(this.api);
    this.base = `${this.loopback ? "http" : "https"}://${this.api}`;
    this.options = options;
    this.auth = new Map(); // repository -> Authorization header
  }

  /** `Basic …` when the credentials are for this registry (`registry-host`), else `null`:
   * they never go to another registry. */
  basic() {
    const c = this.options.credentials;
    if (!c || ![this.domain, this.api].includes(c.host)) return null;
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString("base64")}`;
  }

  /** A GET with retries on 429, 5xx and network errors, and one authentication round. */
  async get(repo, path, accept, what) {
    let authenticated = false;
    for (let attempt = 0; ; attempt++) {
      const headers = { "user-agent": this.options.userAgent };
      if (accept) headers.accept = accept;
      const auth = this.auth.get(repo);
      if (auth) headers.authorization = auth;
      let response;
      try {
        response = await fetch(this.base + path, {
          headers,
          redirect: "follow",
          signal: AbortSignal.timeout(this.options.timeoutMs),
        });
      } catch (error) {
        const timedOut = error?.name === "TimeoutError";
        const reason = timedOut ? `no answer within ${this.options.timeoutMs / 1000} s` : (error?.cause?.message ?? error.message);
        // A registry that did not answer in time is not asked again and again.
        if (!timedOut && attempt < RETRIES) {
          await sleep(RETRY_DELAY_MS * 2 ** attempt);
          continue;
        }
        throw new RegistryError(`${what}: ${this.api}: ${reason}`);
      }
      if (response.status === 401 && !authenticated) {
        authenticated = true;
        await response.body?.cancel();
        await this.authenticate(repo, response.headers.get("www-authenticate") ?? "", what);
        attempt--; // the authentication round is not a retry
        continue;
      }
      if ((response.status === 429 || response.status >= 500) && attempt < RETRIES) {
        await response.body?.cancel();
        const wait = retryAfterMs(response.headers.get("retry-after")) ?? RETRY_DELAY_MS * 2 ** attempt;
        await sleep(wait);
        continue;
      }
      return response;
    }
  }

  async authenticate(repo, header, what) {
    const challenges = mc.parseWwwAuthenticate(header);
    const bearer = mc.bearerChallenge(challenges);
    if (bearer) {
      const url = mc.tokenUrl(bearer, [mc.pullScope(repo)]);
      const headers = { "user-agent": this.options.userAgent };
      // Credentials go to a token endpoint over HTTPS only (or on this machine).
      const plain = url.startsWith("http://") && !isLoopback(new URL(url).host);
      const basic = plain ? null : this.basic();
      if (basic) headers.authorization = basic;
      let response;
      try {
        response = await fetch(url, { headers, signal: AbortSignal.timeout(this.options.timeoutMs) });
      } catch (error) {
        throw new RegistryError(`${what}: the token endpoint did not answer: ${error?.cause?.message ?? error.message}`);
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new RegistryError(
          `${what}: the token endpoint answered ${response.status}${basic ? " (check registry-username and registry-password)" : " (set registry-username and registry-password if the image is private)"}`,
          response.status,
        );
      }
      const token = mc.parseTokenResponse(await readBounded(response, mc.maxDocumentSize(), "the token"));
      this.auth.set(repo, `Bearer ${token.token}`);
      return;
    }
    if (challenges.some((c) => c.scheme === "basic") && this.basic()) {
      this.auth.set(repo, this.basic());
      return;
    }
    throw new RegistryError(
      `${what}: ${this.api} requires authentication${this.basic() ? "" : ": set registry-username and registry-password"}`,
      401,
    );
  }

  /** A manifest or index as sent: `{bytes, contentType, digest}`, checked against the digest it
   * was asked by, else against `Docker-Content-Digest` when the registry sends one; `null` on
   * 404. */
  async fetchDocument(repo, reference, what) {
    const response = await this.get(repo, mc.manifestPath(repo, reference), mc.acceptManifest(), what);
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {});
      return null;
    }
    await failUnlessOk(response, what, this);
    const bytes = await readBounded(response, mc.maxDocumentSize(), what);
    const digest = reference.includes(":") ? reference : (response.headers.get("docker-content-digest") ?? mc.sha256Digest(bytes));
    if (!mc.verifyDigest(bytes, digest)) {
      throw new RegistryError(`${prefix(what)}the answer does not have the digest ${digest}`);
    }
    return { bytes, contentType: response.headers.get("content-type"), digest };
  }

  /** A manifest or index, fetched and read as `expected`; `null` on 404. */
  async document(repo, reference, expected, what) {
    const found = await this.fetchDocument(repo, reference, what);
    return found && { ...found, parsed: mc.parseManifestOrIndex(found.bytes, found.contentType, expected) };
  }
}

async function failUnlessOk(response, what, host) {
  if (response.ok) return;
  let text = "";
  try {
    text = new TextDecoder().decode(await readBounded(response, MAX_ERROR_BODY, what));
  } catch {
    // Too long or cut off: the status says enough.
    await response.body?.cancel().catch(() => {});
  }
  let message = "";
  try {
    message = JSON.parse(text)?.errors?.[0]?.message ?? "";
  } catch {
    message = text.slice(0, 200);
  }
  const hint =
    response.status === 401 || response.status === 403
      ? host.basic()
        ? ": check registry-username and registry-password"
        : ": set registry-username and registry-password if the image is private"
      : "";
  throw new RegistryError(
    `${prefix(what)}${host.api} answered ${response.status} ${response.statusText}${message ? ` (${message.trim()})` : ""}${hint}`,
    response.status,
  );
}

/**
 * The image's SBOM, found by the core's search (`SbomSearch`): it says what to fetch next and
 * reads every answer, in the same order as the CLI; this only fetches. `{sbom}`,
 * `{notFound: true}` or `{failed}` (every problem on the way).
 */
async function findSbom(host, repo, imageDigest, index) {
  const search = index
    ? new mc.SbomSearch(imageDigest, index.bytes, index.contentType, index.digest)
    : new mc.SbomSearch(imageDigest);
  try {
    for (;;) {
      const step = search.step();
      switch (step.kind) {
        case "found":
          return { sbom: step.sbom };
        case "not-found":
          return { notFound: true };
        case "failed":
          return { failed: step.problems.join("; ") };
        default:
          await answer(host, repo, step, search);
      }
    }
  } finally {
    search.free();
  }
}

/** Fetches what one step of the search asks for and hands the answer back. */
async function answer(host, repo, step, search) {
  try {
    let response;
    let limit = mc.maxDocumentSize();
    if (step.kind === "referrers") {
      response = await host.get(repo, mc.referrersPath(repo, step.digest), mc.acceptReferrers(), "the referrers");
      // No referrers API: 404, or 400/405 from registries that do not route it.
      if ([400, 404, 405].includes(response.status)) {
        await response.body?.cancel().catch(() => {});
        return search.answerNotFound();
      }
    } else if (step.kind === "manifest") {
      const found = await host.fetchDocument(repo, step.reference, "");
      return found ? search.answerBody(found.bytes, found.contentType) : search.answerNotFound();
    } else {
      if (step.descriptor.size > MAX_BLOB) {
        return search.answerFailed(`${step.descriptor.size} bytes is more than the ${MAX_BLOB} allowed`);
      }
      limit = step.descriptor.size;
      response = await host.get(repo, mc.blobPath(repo, step.descriptor.digest), null, "a blob");
    }
    if (response.status === 404) {
      await response.body?.cancel().catch(() => {});
      return search.answerNotFound();
    }
    await failUnlessOk(response, "", host);
    search.answerBody(await readBounded(response, limit, ""), response.headers.get("content-type"));
  } catch (error) {
    search.answerFailed(error.message);
  }
}

/**
 * Fetches everything the comparison needs of one image (a normalised reference) and returns a
 * comparison side for the core.
 */
export async function fetchImage(reference, hosts, options) {
  const ref = mc.parseImageRef(reference);
  if (!hosts.has(ref.domain)) hosts.set(ref.domain, new Host(ref.domain, options));
  const host = hosts.get(ref.domain);
  const repo = ref.path;
  const top = await host.document(repo, ref.digest ?? ref.tagOrDefault, "image-or-index", ref.familiar);
  if (!top) throw new RegistryError(`${ref.familiar}: not found in ${host.api}`, 404);
  let image = top;
  let index = null;
  if (top.parsed.document === "index") {
    index = top;
    const chosen = mc.selectPlatform(top.bytes, options.platform, top.contentType);
    image = await host.document(repo, chosen.digest, "image", `${ref.familiar} for ${options.platform}`);
    if (!image) throw new RegistryError(`${ref.familiar}: the ${options.platform} manifest is missing`, 404);
  }
  const size = mc.compressedSize(image.bytes, image.contentType);
  const found = await findSbom(host, repo, image.digest, index);
  const note = found.sbom
    ? null
    : found.notFound
      ? "no SBOM attestation found: the package count is unknown"
      : `the SBOM could not be read (${scrub(found.failed, options)}): the package count is unknown`;
  return {
    label: mc.redact(ref.familiar),
    digest: image.digest,
    platform: options.platform,
    compressedSize: size,
    packages: found.sbom ? found.sbom.packages : null,
    note,
  };
}

/** The message without tokens (by their prefixes) and without the registry password, whatever
 * its form: the comment that carries it is not masked by the runner. */
function scrub(message, options) {
  let text = mc.redact(message);
  const password = options.credentials?.password;
  if (password && password.length >= 4) text = text.split(password).join("*".repeat(password.length));
  return text;
}

/** Every image, at most `concurrency` at a time: `[{image, side}|{image, error}]` in order. */
export async function fetchImages(images, options, concurrency = 8) {
  const hosts = new Map();
  const out = new Array(images.length);
  let next = 0;
  const worker = async () => {
    while (next < images.length) {
      const i = next++;
      try {
        out[i] = { image: images[i], side: await fetchImage(images[i], hosts, options) };
      } catch (error) {
        out[i] = { image: images[i], error: scrub(error.message, options) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, images.length) }, worker));
  return out;
}
