#!/usr/bin/env bash
# Part K (1, 2, ...) of what training/gpu_run.sh staged, copied into $OUT with its repository path, for the
# device tool to bring back (at most 8 files of at most 16 MiB a call).   bash training/gpu_fetch.sh K
set -euo pipefail
cd "$(dirname "$0")/.."
STAGE=training/runs/gpu-stage
OUT=${OUT:-training/runs/gpu-out}
part="$STAGE/part-$(( ${1:?part number, 1 or more} - 1 ))"
[ -f "$part" ] || { echo "no part $1 in $STAGE (parts: $(ls "$STAGE"/part-* 2>/dev/null | wc -l))" >&2; exit 2; }
while read -r f; do
  rel=${f#"$STAGE"/}
  mkdir -p "$OUT/$(dirname "$rel")"
  cp "$f" "$OUT/$rel"
done < "$part"
echo "part $1: $(wc -l < "$part") files to $OUT"
