# Package count of a CycloneDX JSON document (bare, or the predicate of an in-toto statement,
# with or without cosign's {"Data": ...} wrapper), by minicheck's rule (docs/sbom.md):
# every component in `components` at any depth, plus the components nested inside
# metadata.component; minus metadata.component itself and any component repeating it (same
# non-empty bom-ref or purl); minus `file` components (their children still count); each
# package once (same purl, or without purl the same type, name and version). Empty strings
# count as absent. Used by bench/sbom.sh: `jq -f bench/jq/cyclonedx-count.jq FILE...`.
def nz: if . == "" then null else . end;
def comps: .[]? | ., (.components // [] | comps);
(.predicate.Data // .predicate // .) as $b
| ($b.metadata.component // {}) as $root
| ($root["bom-ref"] | nz) as $rref
| ($root.purl | nz) as $rpurl
| [($b.components // [] | comps), ($root.components // [] | comps)]
| map(select(.type != "file"))
| map(select(($rref == null or .["bom-ref"] != $rref) and ($rpurl == null or .purl != $rpurl)))
| unique_by(if (.purl | nz) != null then [.purl] else [.type, .name, (.version | nz)] end)
| length
