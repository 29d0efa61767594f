#!/usr/bin/env bash
# Back on the development machine: the parts training/gpu_run.sh and gpu_fetch.sh sent (each a folder
# that holds small.tar.gz and/or assets/...), unpacked into this repository's assets/.
#   bash training/gpu_unpack.sh /path/to/part1 /path/to/part2 ...
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
for d in "$@"; do
  [ -f "$d/small.tar.gz" ] && tar -xzf "$d/small.tar.gz" -C "$ROOT"
  [ -d "$d/assets" ] && cp -r "$d/assets/." "$ROOT/assets/"
done
for m in "$ROOT"/assets/models/dit-s8-* "$ROOT"/assets/models/dit-s[24]-fashion; do
  idx="$m/model.safetensors.index.json"
  [ -f "$idx" ] || continue
  python3 - "$idx" <<'PY'
import json, os, sys
idx = sys.argv[1]
want = sorted(set(json.load(open(idx))["weight_map"].values()))
have = [f for f in os.listdir(os.path.dirname(idx)) if f.endswith(".safetensors")]
missing = [f for f in want if f not in have]
print(f"{os.path.dirname(idx)}: {len(want) - len(missing)}/{len(want)} shards" + (f", missing {missing}" if missing else ""))
for f in have:
    if f not in want:
        os.remove(os.path.join(os.path.dirname(idx), f))   # a shard of the model this one replaces
PY
done
