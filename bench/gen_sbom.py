#!/usr/bin/env python3
"""Generate a large synthetic SBOM and a modified copy, for bench/sbom.sh.

Usage:
  bench/gen_sbom.py cyclonedx OUT_FROM OUT_TO [--components N] [--seed S]
  bench/gen_sbom.py spdx      OUT_FROM OUT_TO [--packages N]   [--seed S]

Deterministic for a given N and seed (random.Random(seed)); standard library only.

CycloneDX 1.6 (the "from" document):
  - metadata.component: the image (type container, with a bom-ref and a purl) with 3 nested
    components (parts of the subject: counted);
  - N top-level-or-nested components in all, of types library, application, framework and
    operating-system, with bom-ref, purl, licenses, hashes and properties, as Syft and Trivy
    write them; every 50th component carries 2 nested components (counted at any depth);
  - every 97th component is a `file` component (not counted), every 1000th a duplicate
    of an earlier purl (counted once), one component repeats metadata.component (not counted).
SPDX 2.3 (the "from" document):
  - one described root package (documentDescribes and a DESCRIBES relationship: not counted),
    N packages with purl externalRefs, checksums and licenses, a CONTAINS relationship from the
    root to each, and a few files (never counted).
The "to" document is a copy in which 1% of the packages have a new version, 0.3% are removed
and 0.3% added, so the diff has work to do.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys

LICENSES = ["MIT", "Apache-2.0", "BSD-3-Clause", "GPL-2.0-only", "ISC", "MPL-2.0", "LGPL-2.1-or-later"]
ECOSYSTEMS = [
    ("npm", "", "library"),
    ("pypi", "", "library"),
    ("maven", "org.example.group{g}", "library"),
    ("golang", "github.com/example{g}", "library"),
    ("deb", "debian", "library"),
    ("apk", "alpine", "library"),
    ("cargo", "", "library"),
    ("gem", "", "framework"),
]


def sha(text: str, algo: str = "sha256") -> str:
    return hashlib.new(algo, text.encode()).hexdigest()


def version(rng: random.Random) -> str:
    return f"{rng.randint(0, 12)}.{rng.randint(0, 40)}.{rng.randint(0, 99)}"


def purl_for(i: int, name: str, ver: str) -> tuple[str, str]:
    eco, ns, _ = ECOSYSTEMS[i % len(ECOSYSTEMS)]
    ns = ns.format(g=i % 37)
    qual = "?arch=amd64&distro=debian-12" if eco == "deb" else ("?arch=x86_64" if eco == "apk" else "")
    path = f"{ns}/{name}" if ns else name
    return f"pkg:{eco}/{path}@{ver}{qual}", eco


# ---------------------------------------------------------------- CycloneDX

def cdx_component(i: int, rng: random.Random, ver: str | None = None) -> dict:
    name = f"component-{i:06d}"
    ver = ver or version(rng)
    if i % 97 == 0:
        return {
            "bom-ref": f"file-{i}",
            "type": "file",
            "name": f"/usr/lib/libsynthetic-{i}.so",
            "hashes": [{"alg": "SHA-256", "content": sha(name)}],
        }
    purl, eco = purl_for(i, name, ver)
    kind = "operating-system" if i % 5003 == 0 else ECOSYSTEMS[i % len(ECOSYSTEMS)][2]
    comp = {
        "bom-ref": f"{purl}&package-id={sha(name)[:16]}",
        "type": kind,
        "name": name,
        "version": ver,
        "licenses": [{"license": {"id": LICENSES[i % len(LICENSES)]}}],
        "hashes": [{"alg": "SHA-256", "content": sha(name + ver)}],
        "purl": purl,
        "properties": [
            {"name": "syft:package:foundBy", "value": f"{eco}-cataloger"},
            {"name": "syft:location:0:path", "value": f"/usr/lib/{eco}/{name}/METADATA"},
        ],
    }
    return comp


def cyclonedx(n: int, seed: int) -> tuple[dict, dict]:
    rng = random.Random(seed)
    root_purl = "pkg:oci/synthetic-app@sha256%3A" + sha("root")
    root = {
        "bom-ref": "root-image",
        "type": "container",
        "name": "registry.example.com/synthetic/app",
        "version": "sha256:" + sha("root"),
        "purl": root_purl,
        "components": [cdx_component(900_000 + k, rng) for k in range(3)],
    }
    # Build a flat list of N components, then nest: every 50th gets the next 2 as children.
    flat = [cdx_component(i, rng) for i in range(1, n + 1)]
    for i in range(1000, n, 1000):  # duplicates of an earlier purl (counted once)
        if flat[i - 500].get("purl") and flat[i].get("type") != "file":
            dup = dict(flat[i - 500])
            dup["bom-ref"] = dup["bom-ref"] + "-dup"
            flat[i] = dup
    flat[7] = {"bom-ref": "root-image", "type": "container", "name": root["name"], "purl": root_purl}

    def nest(items: list[dict]) -> list[dict]:
        out: list[dict] = []
        i = 0
        while i < len(items):
            c = items[i]
            if i % 50 == 0 and i + 2 < len(items) and c.get("type") != "file":
                c = dict(c)
                c["components"] = items[i + 1:i + 3]
                out.append(c)
                i += 3
            else:
                out.append(c)
                i += 1
        return out

    def doc(components: list[dict], serial: str) -> dict:
        return {
            "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
            "bomFormat": "CycloneDX",
            "specVersion": "1.6",
            "serialNumber": f"urn:uuid:{serial}",
            "version": 1,
            "metadata": {
                "timestamp": "2026-01-01T00:00:00Z",
                "tools": {"components": [{"type": "application", "name": "gen_sbom.py", "version": "1"}]},
                "component": root,
            },
            "components": nest(components),
        }

    before = doc(flat, "00000000-0000-4000-8000-000000000001")
    changed = [dict(c) for c in flat]
    mrng = random.Random(seed + 1)
    for i in range(len(changed)):
        c = changed[i]
        if c.get("type") in ("file", "container") or "purl" not in c:
            continue
        r = mrng.random()
        if r < 0.01:  # new version
            ver = version(mrng) + "-r1"
            c["version"] = ver
            base, rest = c["purl"].split("@", 1)
            qualifiers = "?" + rest.split("?", 1)[1] if "?" in rest else ""
            c["purl"] = f"{base}@{ver}{qualifiers}"
            c["bom-ref"] = c["purl"]
        elif r < 0.013:  # removed: replaced by a new package
            changed[i] = cdx_component(2_000_000 + i, mrng)
    after = doc(changed, "00000000-0000-4000-8000-000000000002")
    return before, after


# ---------------------------------------------------------------- SPDX 2.3

def spdx_package(i: int, rng: random.Random, ver: str | None = None) -> dict:
    name = f"package-{i:06d}"
    ver = ver or version(rng)
    purl, eco = purl_for(i, name, ver)
    return {
        "name": name,
        "SPDXID": f"SPDXRef-Package-{eco}-{name}-{sha(name)[:16]}",
        "versionInfo": ver,
        "supplier": "NOASSERTION",
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": False,
        "checksums": [{"algorithm": "SHA256", "checksumValue": sha(name + ver)}],
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": LICENSES[i % len(LICENSES)],
        "copyrightText": "NOASSERTION",
        "externalRefs": [
            {"referenceCategory": "SECURITY", "referenceType": "cpe23Type",
             "referenceLocator": f"cpe:2.3:a:{name}:{name}:{ver}:*:*:*:*:*:*:*"},
            {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl},
        ],
        "primaryPackagePurpose": "LIBRARY",
    }


def spdx(n: int, seed: int) -> tuple[dict, dict]:
    rng = random.Random(seed)
    root = {
        "name": "registry.example.com/synthetic/app",
        "SPDXID": "SPDXRef-DocumentRoot-Image-synthetic-app",
        "versionInfo": "sha256:" + sha("root"),
        "downloadLocation": "NOASSERTION",
        "primaryPackagePurpose": "CONTAINER",
    }
    files = [{"fileName": f"/etc/synthetic-{k}.conf", "SPDXID": f"SPDXRef-File-{k}",
              "checksums": [{"algorithm": "SHA1", "checksumValue": sha(str(k), "sha1")}]}
             for k in range(200)]

    def doc(packages: list[dict], ns: str) -> dict:
        rels = [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                 "relatedSpdxElement": root["SPDXID"]}]
        rels += [{"spdxElementId": root["SPDXID"], "relationshipType": "CONTAINS",
                  "relatedSpdxElement": p["SPDXID"]} for p in packages]
        return {
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "registry.example.com/synthetic/app",
            "documentNamespace": f"https://example.com/spdx/synthetic-{ns}",
            "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: gen_sbom.py"]},
            "documentDescribes": [root["SPDXID"]],
            "packages": [root] + packages,
            "files": files,
            "relationships": rels,
        }

    packages = [spdx_package(i, rng) for i in range(1, n + 1)]
    for i in range(1000, n, 1000):  # duplicates of an earlier purl (counted once)
        dup = dict(packages[i - 500])
        dup["SPDXID"] += "-dup"
        packages[i] = dup
    before = doc(packages, "before")
    mrng = random.Random(seed + 1)
    changed = []
    for i, p in enumerate(packages):
        r = mrng.random()
        if r < 0.01:
            changed.append(spdx_package(i + 1, mrng, version(mrng) + "-r1"))
        elif r < 0.013:
            changed.append(spdx_package(2_000_000 + i, mrng))
        else:
            changed.append(p)
    after = doc(changed, "after")
    return before, after


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("format", choices=["cyclonedx", "spdx"])
    ap.add_argument("out_from")
    ap.add_argument("out_to")
    ap.add_argument("--components", "--packages", dest="n", type=int, default=150_000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv[1:])
    before, after = (cyclonedx if args.format == "cyclonedx" else spdx)(args.n, args.seed)
    for path, data in ((args.out_from, before), (args.out_to, after)):
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(data, fh, separators=(",", ":"))
            fh.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
