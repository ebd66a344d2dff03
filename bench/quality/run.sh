#!/usr/bin/env bash
# Quality comparison (see README.md): `./penchant compare` on ML-100K, every model over several seeds,
# means with 95% intervals and paired differences against the best baseline and seqknn.
# Build first: ./mvnw -B -pl penchant-cli -am package -DskipTests (and do not rebuild while it runs).
# Usage: bench/quality/run.sh [ML-100K dir] [compare flags; default --models all --seeds 5]
#   bench/quality/run.sh ../shared/data/ml-100k --models popularity,transition,itemknn,seqknn
#   bench/quality/run.sh ../shared/data/ml-100k --models dnn --set seqknn.symmetric=true
# Writes bench/quality/target/compare-<time>.md (the tables), .json (the report) and .log (progress).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
if [[ ! -f penchant-cli/target/penchant-cli-0.1.0-SNAPSHOT.jar ]]; then
  echo "not built: ./mvnw -B -pl penchant-cli -am package -DskipTests" >&2
  exit 1
fi
if [[ $# -gt 0 && $1 != --* ]]; then
  DATA="$1"; shift
elif [[ -f ../shared/data/ml-100k/ml-100k.inter ]]; then
  DATA=../shared/data/ml-100k
else
  DATA=/work/shared/data/ml-100k
fi
ARGS=("$@")
[[ " ${ARGS[*]:-} " == *" --models "* ]] || ARGS=(--models all "${ARGS[@]}")
OUT=bench/quality/target
mkdir -p "$OUT"
STAMP="$(date +%Y%m%d-%H%M%S)"
echo "comparing on $DATA: ${ARGS[*]} (progress: $OUT/compare-$STAMP.log)" >&2
nice -n 10 ./penchant compare --data "$DATA" --format movielens-atomic "${ARGS[@]}" \
  --report "$OUT/compare-$STAMP.json" --out "$OUT/compare-$STAMP.md" 2>"$OUT/compare-$STAMP.log"
