# Package count of an SPDX 3 JSON-LD document, by minicheck's rule (docs/sbom.md): @graph
# elements of type software_Package, ai_AIPackage or dataset_DatasetPackage, minus the single
# package named by a rootElement (several: all count); each package once (same purl, or
# without purl the same primary purpose, name and version). Empty strings count as absent.
# Used by bench/sbom.sh: `jq -f bench/jq/spdx3-count.jq FILE...`.
def nz: if . == "" then null else . end;
."@graph" as $g
| [$g[] | (.type // ."@type") as $t
  | select($t == "software_Package" or $t == "ai_AIPackage" or $t == "dataset_DatasetPackage")] as $p
| ([$g[] | .rootElement // empty | if type == "array" then .[] else . end] | unique) as $roots
| ([$p[] | (.spdxId // ."@id") | select(. as $x | $roots | index($x))] | unique) as $rp
| [$p[] | select(($rp | length) != 1 or (.spdxId // ."@id") != $rp[0])]
| map({name, v: (.software_packageVersion | nz), k: .software_primaryPurpose,
       purl: ((.software_packageUrl | nz)
              // ([.externalIdentifier[]? | select(.externalIdentifierType == "packageUrl") | .identifier | nz][0]))})
| unique_by(if .purl != null then [.purl] else [.k, .name, .v] end)
| length
