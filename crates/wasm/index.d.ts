// The typed contract of minicheck's WebAssembly module (crates/wasm). scripts/build-wasm copies
// this file next to the generated JavaScript as target/wasm-pkg/minicheck_wasm.d.ts.
//
// Loading: `import * as minicheck from "minicheck-wasm"` (or the path of
// target/wasm-pkg/minicheck_wasm.js). The module is an ES module for Node that instantiates the
// WebAssembly synchronously when it is imported; there is nothing to initialise.
//
// Conventions:
// - Objects in and out are plain objects. A value the core does not have is `null`, never
//   `undefined`. Optional arguments may be left out or passed as `undefined` or `null`.
// - Errors are thrown as `Error` with the core's message, worded as the CLI words it (a
//   configuration error reads `path:line:column: message`).
// - `check`, `compare` and `parseManifestOrIndex` hand back the documented JSON schemas
//   (docs/json-output.md) as objects: their keys are snake_case (`final_stage`, `end_line`). The
//   glue's own objects use camelCase.
// - Bytes are `Uint8Array` (a Node `Buffer` is one).

// ---------------------------------------------------------------------------------------------
// Checking Dockerfiles

/** One Dockerfile. `path` is only shown in the report. */
export interface DockerfileInput {
  path: string;
  text: string;
  /** This file's own `.minicheck.yaml` text, instead of `CheckOptions.config`. */
  config?: string | null;
  /** The name of that file in error messages (default `.minicheck.yaml`). */
  configPath?: string | null;
}

/** What `minicheck check` takes as flags. Unknown keys are an error. */
export interface CheckOptions {
  /** `--target`: the stage to build (default: the last). */
  target?: string | null;
  /** `--build-arg`, as `["NAME=VALUE", ...]` or `{ NAME: "VALUE" }`. */
  buildArgs?: string[] | Record<string, string> | null;
  /** `--platform` `os/arch[/variant]` (default `linux/amd64`). */
  platform?: string | null;
  /** The text of a `.minicheck.yaml`; it applies to every file without its own. */
  config?: string | null;
  /** The name of that file in error messages (default `.minicheck.yaml`). */
  configPath?: string | null;
  /** Comparisons to carry in the report (`check --compare`): the JSON gets `comparisons`, the
   * Markdown view its size and package table. */
  comparisons?: FileComparisonInput[] | null;
}

export type Severity = "error" | "warning" | "info";

/** `minicheck check --format json`, version 1 (docs/json-output.md). */
export interface JsonReport {
  version: 1;
  tool: { name: "minicheck"; version: string };
  files: JsonFile[];
  /** Present only when `CheckOptions.comparisons` was given. */
  comparisons?: JsonFileComparison[];
  summary: { files: number; findings: number; errors: number; warnings: number; info: number };
}

export interface JsonFile {
  path: string;
  stages: JsonStage[];
  /** Index into `stages` of the stage that is built; `null` when there is none. */
  final_stage: number | null;
  findings: JsonFinding[];
}

export interface JsonStage {
  index: number;
  /** The `AS` name, lower-cased; `null` when unnamed. */
  name: string | null;
  /** 1-based line of the `FROM`. */
  line: number;
  platform: string;
  base: {
    /** The `FROM` argument as written. */
    raw: string;
    /** After ARG expansion; `null` when unresolved. */
    resolved: string | null;
    kind: "image" | "stage" | "scratch" | "unresolved";
    /** The normalised reference of the real image (at the end of any `FROM <stage>` chain);
     * `null` for scratch and unresolved. */
    image: string | null;
    /** For `kind: "stage"`, the index of the stage named. */
    stage: number | null;
    missing_args: string[];
  };
}

export interface JsonFinding {
  /** The rule code, `MC001`. */
  rule: string;
  /** The rule name, `final-stage-dev-image`. */
  name: string;
  severity: Severity;
  message: string;
  /** 1-based; the end is exclusive; columns count characters. */
  line: number;
  column: number;
  end_line: number;
  end_column: number;
}

export interface JsonFileComparison {
  path: string;
  image: string | null;
  twin: JsonComparison | null;
  base: JsonComparison | null;
  notes: string[];
}

/** Checks the files (in order) and returns the JSON report. Throws on a bad option or a
 * configuration error (`path:line:column: message`); findings are never errors. */
export function check(files: DockerfileInput[], options?: CheckOptions | null): JsonReport;

export type Format = "human" | "json" | "sarif" | "github" | "markdown";

/** Options of the views; each left out takes the core's default. Unknown keys are an error. */
export interface RenderOptions {
  /** human: ANSI colours (default false). */
  color?: boolean | null;
  /** sarif, github, markdown: the repository root as the paths spell it
   * (`process.env.GITHUB_WORKSPACE`), removed from the front of each path. */
  root?: string | null;
  /** sarif: a base id such as `%SRCROOT%` for every relative location. */
  uriBaseId?: string | null;
  /** sarif: results kept (default 25000, GitHub's limit). */
  maxResults?: number | null;
  /** github: `::error` / `::warning` / `::notice` lines at most (default 10 each, the runner's
   * limit per step). */
  maxErrors?: number | null;
  maxWarnings?: number | null;
  maxNotices?: number | null;
  /** markdown: the heading (default `minicheck`). */
  title?: string | null;
  /** markdown: locations link to `{linkBase}/{path}#L{line}`
   * (`https://github.com/OWNER/REPO/blob/SHA`). */
  linkBase?: string | null;
  /** markdown: at most this many bytes (default 65000, under GitHub's comment limit). */
  maxBytes?: number | null;
}

/** Checks the files and renders the report as `minicheck check --format <format>` prints it
 * (the same text, byte for byte, for the same inputs and options). */
export function render(
  files: DockerfileInput[],
  options: CheckOptions | null | undefined,
  format: Format,
  renderOptions?: RenderOptions | null,
): string;

/** What `analyze` decides and renders beyond the check. Unknown keys are an error. */
export interface AnalyzeOptions {
  /** Wins over each file's `failure-threshold` (as `--fail-on`); default: the file's, else `error`. */
  failOn?: Severity | "never" | null;
  /** The views to render. */
  formats?: Format[] | null;
  renderOptions?: RenderOptions | null;
  /** Also return one review comment per finding. */
  review?: boolean | null;
  /** Also render `views.summary`: the Markdown view within this many bytes (a job summary
   * holds up to 1 MiB, a comment 65,536 characters). */
  summaryMaxBytes?: number | null;
}

/** A pull-request review comment for one finding. */
export interface ReviewComment {
  /** Relative to `renderOptions.root`, with `/`. */
  path: string;
  start_line: number;
  /** GitHub's `line`: the last line covered. */
  line: number;
  rule: string;
  severity: Severity;
  /** `<!-- minicheck-review:MC001 -->`, the first line of `body`. */
  marker: string;
  /** Markdown; a ```suggestion block when the finding has a mechanical fix. */
  body: string;
}

export interface Analysis {
  /** The JSON view (`check --format json`) as text. */
  json: string;
  /** Some file has a finding at or above its threshold. */
  failed: boolean;
  failedFiles: string[];
  summary: { files: number; findings: number; errors: number; warnings: number; info: number };
  /** Format name → text, for each of `formats`; `summary` with `summaryMaxBytes`. */
  views: Partial<Record<Format | "summary", string>>;
  review: ReviewComment[];
}

/** Checks once and returns the decision and every view asked for, all of the same report. */
export function analyze(
  files: DockerfileInput[],
  options?: CheckOptions | null,
  analysis?: AnalyzeOptions | null,
): Analysis;

/** What `check --compare` compares for one file; images are normalised references. */
export interface ComparisonPlan {
  path: string;
  image: string | null;
  /** `[dev, production]`. */
  twin: [string, string] | null;
  base: string | null;
  notes: string[];
}

/** Plans the comparisons. With `baseRef`, `texts` holds each file's text at the base revision,
 * in the order of `files` (`null`: the file is new; `{error}`: it could not be read, which
 * becomes a note). `images` lists every image to fetch once. */
export function planComparisons(
  files: DockerfileInput[],
  options?: CheckOptions | null,
  base?: { baseRef?: string | null; texts?: (string | null | { error: string })[] | null } | null,
): { plans: ComparisonPlan[]; images: string[] };

/** The plans with what the host fetched per image (a side, or the error), as
 * `CheckOptions.comparisons` takes them; failures become notes, secrets masked. */
export function completeComparisons(
  plans: ComparisonPlan[],
  fetched: { image: string; side?: Side | null; error?: string | null }[],
): FileComparisonInput[];

/** A `.minicheck.yaml`, read and checked as the CLI reads it. Throws
 * `path:line:column: message` (path defaults to `.minicheck.yaml`). */
export function parseConfig(text: string, path?: string | null): Config;

export interface Config {
  /** `failure-threshold`; `null` when not set. */
  failureThreshold: Severity | "never" | null;
  /** Rule codes, canonical (`MC004`), never reported. */
  ignored: string[];
  /** Rule code → severity. */
  overrides: Record<string, Severity>;
  trustedRegistries: string[];
  mirrors: { prefix: string; vendor: string; upstream: string }[];
  pairs: { vendor: string; dev: string; production: string[] }[];
  shellLess: string[];
  requireDigest: boolean;
  disableInlineIgnores: boolean;
}

// ---------------------------------------------------------------------------------------------
// Rules

/** A rule, as `minicheck rules --format json` prints it. */
export interface Rule {
  code: string;
  name: string;
  severity: Severity;
  summary: string;
  url: string;
  /** Markdown: what it does, why it is bad, an example, how to fix it. */
  documentation: string;
}

/** Every rule, sorted by code. */
export function rules(): Rule[];

/** One rule by code (any case) or name. Throws for an unknown one. */
export function explain(codeOrName: string): Rule;

/** The version of minicheck the module was built from. */
export function version(): string;

// ---------------------------------------------------------------------------------------------
// SBOMs and comparisons

export interface Package {
  name: string;
  version: string | null;
  /** The package URL as written. */
  purl: string | null;
  /** The purl type (`deb`, `apk`, `npm`), else the document's own kind. */
  kind: string | null;
}

export interface Sbom {
  format: "spdx2-json" | "spdx2-tag-value" | "spdx3-jsonld" | "cyclonedx-json";
  /** `2.3`, `3.0.1`, `1.6`. */
  specVersion: string;
  /** In document order, each once. */
  packages: Package[];
  /** How the SBOM was wrapped; `null` for a bare document. */
  wrapper:
    | { kind: "in-toto"; predicateType: string }
    | { kind: "dsse"; payloadType: string; predicateType: string | null }
    | { kind: "intoto-jsonl"; line: number; payloadType: string | null; predicateType: string | null }
    | null;
}

/** One SBOM in any format and wrapping the core reads (SPDX 2 JSON and tag-value, SPDX 3,
 * CycloneDX; in-toto statements, DSSE envelopes, Sigstore bundles). Throws when the bytes are
 * not exactly one SBOM. */
export function readSbom(bytes: Uint8Array): Sbom;

/** Every SBOM of a JSON Lines file (`.intoto.jsonl`); a single document gives a list of one. */
export function readAllSboms(bytes: Uint8Array): Sbom[];

/** Package input: `Package` objects, or any object with at least `name`. */
export interface PackageInput {
  name: string;
  version?: string | null;
  purl?: string | null;
  kind?: string | null;
}

export interface PackageDiff {
  /** In `to` only. */
  added: Package[];
  /** In `from` only. */
  removed: Package[];
  /** On both sides with another version. */
  changed: { from: Package; to: Package }[];
  unchanged: number;
}

/** Packages keyed on versionless purls (names when there is none); sorted, deterministic. */
export function diffPackages(from: PackageInput[], to: PackageInput[]): PackageDiff;

/** One side of a comparison, as the host filled it in from a registry or an SBOM file. */
export interface Side {
  /** An image reference (pass it through `redact`) or an SBOM file path. */
  label: string;
  digest?: string | null;
  /** `linux/amd64`. */
  platform?: string | null;
  /** Sum of the compressed layer sizes (`compressedSize`); `null` for an SBOM file. */
  compressedSize?: number | null;
  /** `null`: no SBOM found, the package count is unknown (not zero). */
  packages?: PackageInput[] | null;
  /** Why something is unknown ("no SBOM attestation found: the package count is unknown"). */
  note?: string | null;
}

/** `minicheck compare --format json`, version 1. */
export interface JsonComparison {
  version?: 1;
  from: JsonSide;
  to: JsonSide;
  delta: { compressed_size: number | null; packages: number | null };
  /** The package diff; `null` unless both sides have packages. */
  added: { name: string; version: string | null; purl: string | null }[] | null;
  removed: { name: string; version: string | null; purl: string | null }[] | null;
  changed: { name: string; from: string | null; to: string | null; purl: string | null }[] | null;
  unchanged: number | null;
}

export interface JsonSide {
  ref: string;
  digest: string | null;
  platform: string | null;
  compressed_size: number | null;
  /** The package count. */
  packages: number | null;
  note: string | null;
}

/** Compares two sides: deltas and package diff, as `minicheck compare --format json`. */
export function compare(from: Side, to: Side): JsonComparison & { version: 1 };

/** One comparison as `minicheck compare --format human|json|markdown` prints it. */
export function renderComparison(from: Side, to: Side, format: "human" | "json" | "markdown"): string;

/** Per Dockerfile (`check --compare`): its final image against its dev twin and against the
 * base revision's final image. */
export interface FileComparisonInput {
  path: string;
  /** The final image as compared (pass it through `redact`); `null`: unresolved. */
  image?: string | null;
  /** The dev twin (`from`) against the final image (`to`). */
  twin?: { from: Side; to: Side } | null;
  /** The base revision's final image (`from`) against this one (`to`). */
  base?: { from: Side; to: Side } | null;
  /** Why a comparison is missing. */
  notes?: string[] | null;
}

/** The per-Dockerfile size and package table, as in the pull-request comment (`markdown`,
 * the default) or the terminal (`human`). */
export function renderFileComparisons(
  files: FileComparisonInput[],
  format?: "markdown" | "human" | null,
): string;

// ---------------------------------------------------------------------------------------------
// Image references and the vendor catalog

export interface ImageRef {
  /** `docker.io`, `reg.mini.dev`, `localhost:5000`. */
  domain: string;
  /** `library/python`. */
  path: string;
  tag: string | null;
  digest: string | null;
  /** `docker.io/library/python`. */
  name: string;
  /** `python:latest`. */
  familiar: string;
  /** `docker.io/library/python:latest`. */
  normalized: string;
  /** The tag; `latest` when there is neither tag nor digest; `null` for a digest alone. */
  tagOrDefault: string | null;
}

/** Parses and normalises a reference as Docker does. Throws Docker's message. */
export function parseImageRef(reference: string): ImageRef;

export interface Classified {
  /** The vendor id (`minimus`), as `mirrors[].vendor` names it. */
  vendor: string;
  vendorName: string;
  /** The image's own name: `python`. */
  name: string;
  variant: "dev" | "production";
  /** `/bin/sh` exists in the image. */
  hasShell: boolean;
  /** The image as the vendor publishes it, when found through a configured mirror. */
  upstream: string | null;
  mirror: string | null;
  /** When the image's registry is retired. */
  retired: { date: string; note: string } | null;
  /** For a dev image: its production twins, most likely first, where the image lives. */
  productionTwins: ImageRef[];
  /** For a production image: its dev twin, when the catalog can name it. */
  devTwin: ImageRef | null;
}

/** What the catalog (with the configuration's mirrors, pairs and shell-less images) knows
 * about an image; `null` when it is from no catalog vendor or configured mirror. */
export function classifyImage(
  reference: string,
  options?: { config?: string | null; configPath?: string | null } | null,
): Classified | null;

/** Masks registry and GitHub tokens (same length). */
export function redact(text: string): string;

// ---------------------------------------------------------------------------------------------
// Registries: the host sends requests with fetch; the core says what to ask and reads answers.
// The flow is in crates/core/src/oci/mod.rs and docs/oci.md.

/** The `Accept` header for manifests and indexes. */
export function acceptManifest(): string;
/** The `Accept` header for the referrers API. */
export function acceptReferrers(): string;
/** Stop reading a manifest, index or token answer beyond this many bytes (4 MiB). */
export function maxDocumentSize(): number;
/** The host to send API requests to (`registry-1.docker.io` for `docker.io`). */
export function registryApiHost(domain: string): string;
/** `/v2/<repository>/manifests/<tag or digest>`. Throws for an invalid name. */
export function manifestPath(repository: string, reference: string): string;
/** `/v2/<repository>/blobs/<digest>`. */
export function blobPath(repository: string, digest: string): string;
/** `/v2/<repository>/referrers/<digest>`. */
export function referrersPath(repository: string, digest: string): string;
/** cosign's attestation tag: `sha256-<hex>.att`. */
export function cosignAttestationTag(digest: string): string;
/** cosign's signature tag: `sha256-<hex>.sig`. */
export function cosignSignatureTag(digest: string): string;
/** The referrers tag schema's tag: `sha256-<hex>`. */
export function referrersTag(digest: string): string;

export interface OciPlatform {
  os: string;
  architecture: string;
  variant: string | null;
}

/** A content descriptor; keys as in OCI JSON. */
export interface Descriptor {
  mediaType: string;
  digest: string;
  /** Bytes. A size beyond 2^53 (which the core accepts, up to 2^63 - 1) cannot be a JS number:
   * the call that would return it throws. */
  size: number;
  platform?: OciPlatform;
  annotations?: Record<string, string>;
  artifactType?: string;
  urls?: string[];
}

export type DocumentKind = "oci-manifest" | "oci-index" | "docker-manifest" | "docker-manifest-list";

export interface Manifest {
  document: "manifest";
  kind: DocumentKind;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface Index {
  document: "index";
  kind: DocumentKind;
  artifactType?: string;
  manifests: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

/** What the caller asked for: a tag or digest names an `image-or-index`; an index entry is an
 * `image`; attestations and referrers are any `manifest`; the referrers answer is an `index`. */
export type Expected = "image-or-index" | "image" | "manifest" | "index" | "any";

/** Reads a manifest or index with the `Content-Type` it came with (`null` if none). Throws
 * when it is malformed or not what was `expected` (default `image-or-index`). Verify its digest
 * first (`verifyDigest`). */
export function parseManifestOrIndex(
  bytes: Uint8Array,
  contentType?: string | null,
  expected?: Expected | null,
): Manifest | Index;

/** The descriptor of the image for `platform` (`linux/amd64`) in an index. Throws listing the
 * platforms the index has when none fits. */
export function selectPlatform(indexBytes: Uint8Array, platform: string, contentType?: string | null): Descriptor;

/** The BuildKit attestation manifest of an index for the image manifest `imageDigest`. */
export function attestationFor(
  indexBytes: Uint8Array,
  imageDigest: string,
  contentType?: string | null,
): Descriptor | null;

/** The compressed size of an image manifest: the sum of its layers' sizes. */
export function compressedSize(manifestBytes: Uint8Array, contentType?: string | null): number;

export type SbomFormat = "spdx" | "cyclonedx";
export type AttestationSource = "referrer" | "cosign-tag" | "buildkit";

export interface SbomCandidate {
  /** What to fetch: a manifest when `content` is `manifest`, else a blob. */
  descriptor: Descriptor;
  predicateType: string | null;
  /** `null` until the payload is read. */
  format: SbomFormat | null;
  content: "manifest" | "dsse-envelope" | "in-toto-statement" | "sigstore-bundle" | "document";
  source: AttestationSource;
}

/** The referrers (an index from the referrers API or tag) that may hold an SBOM, best first.
 * Each is a manifest to fetch and pass to `sbomCandidatesFromManifest` with `"referrer"`. */
export function sbomCandidatesFromReferrers(
  indexBytes: Uint8Array,
  contentType?: string | null,
  prefer?: SbomFormat[] | null,
): SbomCandidate[];

/** The layers of an attestation manifest (BuildKit's, cosign's `.att`, a referrer) that may
 * hold an SBOM, best first. Each is a blob to fetch (`blobPath`), verify and give to
 * `readSbom`. */
export function sbomCandidatesFromManifest(
  manifestBytes: Uint8Array,
  source: AttestationSource,
  contentType?: string | null,
  prefer?: SbomFormat[] | null,
): SbomCandidate[];

/** Whether `bytes` have the digest `algorithm:hex` (sha256, sha384, sha512). */
export function verifyDigest(bytes: Uint8Array, digest: string): boolean;
/** `sha256:<hex>` of the bytes. */
export function sha256Digest(bytes: Uint8Array): string;
/** Throws unless `digest` is a valid digest of a supported algorithm. */
export function validateDigest(digest: string): void;

export interface Challenge {
  /** Lowercased: `bearer`, `basic`, ... */
  scheme: string;
  /** Names lowercased, values unquoted. */
  params: Record<string, string>;
  token68: string | null;
}

/** The challenges of a `WWW-Authenticate` header, in order. Never throws. */
export function parseWwwAuthenticate(header: string): Challenge[];
/** The Bearer challenge among them, if any. */
export function bearerChallenge(challenges: Challenge[]): Challenge | null;
/** `repository:<repository>:pull`. */
export function pullScope(repository: string): string;
/** The URL to `GET` for a token: the realm with `service` and the scopes. Throws for a
 * challenge that is not Bearer or has no usable realm. */
export function tokenUrl(challenge: Challenge, scopes?: string[] | null): string;

export interface Token {
  /** For `Authorization: Bearer <token>`; never log it. */
  token: string;
  expiresIn: number | null;
  issuedAt: string | null;
  /** `expiresIn`, or 60 when the endpoint did not say. */
  lifetimeSecs: number;
}

/** Reads the token endpoint's JSON answer. Throws when it has no usable token. */
export function parseTokenResponse(bytes: Uint8Array): Token;

// ---------------------------------------------------------------------------------------------
// The SBOM search: the core says what to fetch next and reads every answer; the host fetches.

export type SearchStep =
  /** `GET referrersPath(repo, digest)` with `Accept: acceptReferrers()`; answer `answerNotFound()`
   * for 404, 400 and 405. */
  | { kind: "referrers"; digest: string }
  /** `GET manifestPath(repo, reference)` with `Accept: acceptManifest()`, at most
   * `maxDocumentSize()` bytes. */
  | { kind: "manifest"; reference: string }
  /** `GET blobPath(repo, descriptor.digest)`, at most `descriptor.size` bytes. */
  | { kind: "blob"; descriptor: Descriptor }
  | { kind: "found"; sbom: Sbom; blob: string; source: AttestationSource }
  | { kind: "not-found" }
  | { kind: "failed"; problems: string[] };

/** The search for one image's SBOM, in the CLI's order (referrers, the referrers tag, cosign's
 * `.att` tag, the BuildKit attestation; then the index's referrers and `.att` tag). Alternate
 * `step()` and one `answer*` call until a step is `found`, `not-found` or `failed`; then `free()`. */
export class SbomSearch {
  /** For the platform image manifest `imageDigest`, and the index it was chosen from (its bytes,
   * `Content-Type` and digest), when there is one. Throws for an invalid digest or index. */
  constructor(imageDigest: string, indexBytes?: Uint8Array | null, indexContentType?: string | null, indexDigest?: string | null);
  step(): SearchStep;
  answerBody(bytes: Uint8Array, contentType?: string | null): void;
  answerNotFound(): void;
  /** The fetch failed; the message is kept for the `failed` outcome. */
  answerFailed(message: string): void;
  free(): void;
}
