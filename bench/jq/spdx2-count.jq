# Package count of an SPDX 2 JSON document, by minicheck's rule (docs/sbom.md): `packages[]`,
# minus the described root when exactly one package is described (documentDescribes,
# DOC DESCRIBES X, X DESCRIBED_BY DOC); each package once (same purl, or without purl the same
# primaryPackagePurpose, name and versionInfo). Files and snippets never count. Empty strings
# count as absent. Used by bench/sbom.sh: `jq -f bench/jq/spdx2-count.jq FILE...`.
def nz: if . == "" then null else . end;
(.SPDXID // "SPDXRef-DOCUMENT") as $doc
| ([.packages[]?.SPDXID] | map({key: ., value: true}) | from_entries) as $ids
| ([(.documentDescribes // [])[],
    (.relationships // [] | .[] | select(.relationshipType == "DESCRIBES" and .spdxElementId == $doc) | .relatedSpdxElement),
    (.relationships // [] | .[] | select(.relationshipType == "DESCRIBED_BY" and .relatedSpdxElement == $doc) | .spdxElementId)]
   | unique | map(select($ids[.] == true))) as $described
| (.packages // [])
| map(select(($described | length) != 1 or .SPDXID != $described[0]))
| map({name, v: (.versionInfo | nz), k: .primaryPackagePurpose,
       purl: ([.externalRefs[]? | select(.referenceType == "purl") | .referenceLocator | nz][0])})
| unique_by(if .purl != null then [.purl] else [.k, .name, .v] end)
| length
