#!/usr/bin/env python3
"""Push the two images of bench/compare.sh to an open registry on loopback.

Usage: bench/push_images.py HOST:PORT [REPO] [--summary FILE]

Pushes through the registry's HTTP API (blob upload POST + PUT, manifest PUT), as
tests/integration/support/registry_server.rs's push_fixtures does. Standard library only;
deterministic (the same bytes, hence the same digests, on every run).

  REPO:3.13.5      production: an OCI index of linux/amd64 (3 layers) and linux/arm64
                   (3 layers) images, and a BuildKit attestation manifest for the amd64 image
                   (an in-toto SPDX 2.3 SBOM of 23 packages and an SLSA provenance statement),
                   as `docker buildx build --sbom=true --provenance=true` pushes it.
  REPO:3.13.5-dev  dev: one linux/amd64 image (6 layers) and a cosign attestation under
                   the tag sha256-<hex>.att (a DSSE envelope around an in-toto SPDX 2.3
                   SBOM of 73 packages: the 23 of production, 5 of them at other versions,
                   and 50 more), as `cosign attest --type spdxjson` pushes it.

REPO defaults to bench/python. The summary (JSON: references, digests, layer sizes,
package counts) is printed, and written to FILE with --summary.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import json
import random
import sys

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
IN_TOTO = "application/vnd.in-toto+json"
DSSE = "application/vnd.dsse.envelope.v1+json"

PROD_AMD64_LAYERS = [3_100_000, 1_200_000, 45_000]
PROD_ARM64_LAYERS = [2_900_000, 1_150_000, 45_000]
DEV_LAYERS = [3_100_000, 1_200_000, 9_800_000, 4_400_000, 2_300_000, 60_000]


def digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def dumps(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def descriptor(media_type: str, data: bytes, **extra) -> dict:
    return {"mediaType": media_type, "digest": digest(data), "size": len(data), **extra}


class Registry:
    def __init__(self, addr: str, repo: str):
        host, port = addr.rsplit(":", 1)
        self.host, self.port, self.repo = host, int(port), repo

    def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers={"Content-Length": str(len(body)), **(headers or {})})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read()
        finally:
            conn.close()

    def blob(self, data: bytes) -> str:
        d = digest(data)
        status, _, _ = self.request("HEAD", f"/v2/{self.repo}/blobs/{d}")
        if status == 200:
            return d
        status, headers, body = self.request("POST", f"/v2/{self.repo}/blobs/uploads/")
        if status != 202:
            raise SystemExit(f"push_images: upload start: {status} {body[:200]!r}")
        location = headers.get("Location") or headers.get("location")
        path = location[location.find("/v2/"):] if "/v2/" in location else location
        sep = "&" if "?" in path else "?"
        status, _, body = self.request("PUT", f"{path}{sep}digest={d}", data,
                                       {"Content-Type": "application/octet-stream"})
        if status != 201:
            raise SystemExit(f"push_images: blob upload: {status} {body[:200]!r}")
        return d

    def manifest(self, reference: str, media_type: str, data: bytes) -> str:
        status, _, body = self.request("PUT", f"/v2/{self.repo}/manifests/{reference}", data,
                                       {"Content-Type": media_type})
        if status != 201:
            raise SystemExit(f"push_images: manifest {reference}: {status} {body[:300]!r}")
        return digest(data)


def layer_bytes(seed: int, size: int) -> bytes:
    # Incompressible, deterministic: what a gzip layer looks like to a registry.
    return random.Random(seed).randbytes(size)


def image(reg: Registry, seed: int, arch: str, layers: list[int]) -> bytes:
    blobs = [layer_bytes(seed * 100 + i, size) for i, size in enumerate(layers)]
    config = dumps({
        "architecture": arch, "os": "linux", "created": "2026-01-01T00:00:00Z",
        "config": {"Entrypoint": ["/usr/bin/python3"], "User": "65532"},
        "rootfs": {"type": "layers", "diff_ids": [digest(b) for b in blobs]},
    })
    reg.blob(config)
    for b in blobs:
        reg.blob(b)
    return dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, config),
        "layers": [descriptor(OCI_LAYER, b) for b in blobs],
    })


PROD_PACKAGES = [
    ("bzip2", "1.0.8-r12"), ("ca-certificates", "20250619-r0"), ("expat", "2.7.1-r0"),
    ("gdbm", "1.25-r0"), ("glibc", "2.41-r4"), ("glibc-locale-posix", "2.41-r4"),
    ("ld-linux", "2.41-r4"), ("libcrypt1", "2.41-r4"), ("libffi", "3.5.1-r0"),
    ("libgcc", "15.1.0-r2"), ("libstdc++", "15.1.0-r2"), ("libuuid", "2.41.1-r0"),
    ("libxcrypt", "4.4.38-r1"), ("mpdecimal", "4.0.1-r0"), ("ncurses", "6.5_p20250614-r0"),
    ("ncurses-terminfo-base", "6.5_p20250614-r0"), ("openssl", "3.5.1-r0"),
    ("python-3.13", "3.13.5-r1"), ("python-3.13-base", "3.13.5-r1"), ("readline", "8.3-r0"),
    ("sqlite-libs", "3.50.2-r0"), ("xz", "5.8.1-r0"), ("zlib", "1.3.1-r7"),
]
DEV_CHANGED = {"openssl": "3.5.2-r0", "sqlite-libs": "3.50.3-r0", "libgcc": "15.1.0-r3",
               "libstdc++": "15.1.0-r3", "ca-certificates": "20250711-r0"}
DEV_EXTRA = [
    "apk-tools", "bash", "binutils", "build-base", "busybox", "coreutils", "curl", "diffutils",
    "file", "findutils", "gawk", "gcc", "git", "gmp", "grep", "isl", "jq", "krb5-libs",
    "libatomic", "libbrotlicommon1", "libcurl-openssl4", "libgomp", "libidn2", "libmagic",
    "libnghttp2-14", "libpcre2-8-0", "libpsl", "libquadmath", "libssh2", "libunistring",
    "libzstd1", "make", "mpc", "mpfr", "ncurses-dev", "openssl-dev", "patch", "pkgconf",
    "py3.13-pip", "py3.13-setuptools", "py3.13-wheel", "python-3.13-dev", "sed", "tar",
    "wget", "wolfi-baselayout", "xz-dev", "zlib-dev", "zstd", "zstd-libs",
]


def spdx(name: str, packages: list[tuple[str, str]]) -> dict:
    root = f"SPDXRef-DocumentRoot-Image-{name}"
    pkgs = [{
        "name": name, "SPDXID": root, "versionInfo": "sha256:" + hashlib.sha256(name.encode()).hexdigest(),
        "downloadLocation": "NOASSERTION", "primaryPackagePurpose": "CONTAINER",
    }]
    for i, (pkg, ver) in enumerate(packages):
        pkgs.append({
            "name": pkg, "SPDXID": f"SPDXRef-Package-apk-{pkg}-{i}", "versionInfo": ver,
            "downloadLocation": "NOASSERTION", "licenseDeclared": "NOASSERTION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                              "referenceLocator": f"pkg:apk/minimos/{pkg}@{ver}?arch=x86_64"}],
        })
    return {
        "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT",
        "name": name, "documentNamespace": f"https://example.com/spdx/{name}",
        "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: bench/push_images.py"]},
        "documentDescribes": [root], "packages": pkgs,
        "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                           "relatedSpdxElement": root}],
    }


def statement(predicate_type: str, predicate: dict, subject: str) -> bytes:
    return dumps({
        "_type": "https://in-toto.io/Statement/v0.1",
        "subject": [{"name": "image", "digest": {"sha256": subject.split(":", 1)[1]}}],
        "predicateType": predicate_type, "predicate": predicate,
    })


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:]]
    summary_path = None
    if "--summary" in args:
        i = args.index("--summary")
        summary_path = args[i + 1]
        del args[i:i + 2]
    if not 1 <= len(args) <= 2 or args[0] in ("-h", "--help"):
        print(__doc__, file=sys.stderr)
        return 2
    addr, repo = args[0], (args[1] if len(args) > 1 else "bench/python")
    reg = Registry(addr, repo)

    # Production: index (amd64, arm64, BuildKit attestation manifest for amd64).
    amd64 = image(reg, 1, "amd64", PROD_AMD64_LAYERS)
    amd64_digest = reg.manifest(digest(amd64), OCI_MANIFEST, amd64)
    arm64 = image(reg, 2, "arm64", PROD_ARM64_LAYERS)
    reg.manifest(digest(arm64), OCI_MANIFEST, arm64)
    sbom = statement("https://spdx.dev/Document", spdx("python", PROD_PACKAGES), amd64_digest)
    provenance = statement("https://slsa.dev/provenance/v0.2",
                           {"builder": {"id": "https://github.com/docker/buildx"}}, amd64_digest)
    for b in (sbom, provenance):
        reg.blob(b)
    att_config = dumps({"architecture": "unknown", "os": "unknown", "config": {},
                        "rootfs": {"type": "layers", "diff_ids": [digest(sbom), digest(provenance)]}})
    reg.blob(att_config)
    attestation = dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, att_config),
        "layers": [
            descriptor(IN_TOTO, sbom, annotations={"in-toto.io/predicate-type": "https://spdx.dev/Document"}),
            descriptor(IN_TOTO, provenance, annotations={"in-toto.io/predicate-type": "https://slsa.dev/provenance/v0.2"}),
        ],
    })
    reg.manifest(digest(attestation), OCI_MANIFEST, attestation)
    index = dumps({
        "schemaVersion": 2, "mediaType": OCI_INDEX,
        "manifests": [
            descriptor(OCI_MANIFEST, amd64, platform={"architecture": "amd64", "os": "linux"}),
            descriptor(OCI_MANIFEST, arm64, platform={"architecture": "arm64", "os": "linux", "variant": "v8"}),
            descriptor(OCI_MANIFEST, attestation, platform={"architecture": "unknown", "os": "unknown"},
                       annotations={"vnd.docker.reference.digest": amd64_digest,
                                    "vnd.docker.reference.type": "attestation-manifest"}),
        ],
    })
    prod_index = reg.manifest("3.13.5", OCI_INDEX, index)

    # Dev: one image, cosign attestation under sha256-<hex>.att.
    dev = image(reg, 3, "amd64", DEV_LAYERS)
    dev_digest = reg.manifest("3.13.5-dev", OCI_MANIFEST, dev)
    dev_packages = [(p, DEV_CHANGED.get(p, v)) for p, v in PROD_PACKAGES] + [
        (p, f"{1 + i % 9}.{i % 13}.{i % 7}-r{i % 3}") for i, p in enumerate(DEV_EXTRA)]
    dev_statement = statement("https://spdx.dev/Document", spdx("python-dev", dev_packages), dev_digest)
    envelope = dumps({"payloadType": "application/vnd.in-toto+json",
                      "payload": base64.b64encode(dev_statement).decode(),
                      "signatures": [{"keyid": "", "sig": "MEUCIQDbench"}]})
    reg.blob(envelope)
    cosign_config = dumps({"architecture": "", "os": "", "config": {},
                           "rootfs": {"type": "layers", "diff_ids": [digest(envelope)]}})
    reg.blob(cosign_config)
    att = dumps({
        "schemaVersion": 2, "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, cosign_config),
        "layers": [descriptor(DSSE, envelope, annotations={
            "predicateType": "https://spdx.dev/Document", "dev.cosignproject.cosign/signature": ""})],
    })
    reg.manifest("sha256-" + dev_digest.split(":", 1)[1] + ".att", OCI_MANIFEST, att)

    summary = {
        "registry": addr,
        "production": {"ref": f"{addr}/{repo}:3.13.5", "index": prod_index, "amd64": amd64_digest,
                       "compressed_size": sum(PROD_AMD64_LAYERS), "packages": len(PROD_PACKAGES),
                       "sbom": "BuildKit attestation (SPDX 2.3 in-toto)"},
        "dev": {"ref": f"{addr}/{repo}:3.13.5-dev", "digest": dev_digest,
                "compressed_size": sum(DEV_LAYERS), "packages": len(dev_packages),
                "sbom": "cosign .att tag (DSSE, SPDX 2.3 in-toto)"},
    }
    text = json.dumps(summary, indent=2)
    print(text)
    if summary_path:
        with open(summary_path, "w", encoding="utf-8") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
