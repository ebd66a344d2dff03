#!/usr/bin/env bash
# Self-attention serving graph vs the full graph, same weights (see README.md). Uses the command-line module's target/lib (core, TensorFlow models
# and their dependencies); build first: ./mvnw -B -pl penchant-cli -am package -DskipTests
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
LIB=penchant-cli/target/lib
if ! ls $LIB/recommender-tf-*.jar >/dev/null 2>&1; then
  echo "not built: ./mvnw -B -pl penchant-cli -am package -DskipTests" >&2
  exit 1
fi
DATA="${1:-../shared/data/ml-100k}"
shift || true
OUT=bench/attention/target
mkdir -p "$OUT/classes"
# run from private copies of the project's jars: a rebuild during the run must not swap classes under us
mkdir -p "$OUT/jars" && cp $LIB/recommender-core-*.jar $LIB/recommender-tf-*.jar "$OUT/jars/"
CP="$OUT/jars/*:$LIB/*"
javac -nowarn -d "$OUT/classes" -cp "$CP" bench/attention/src/AttentionServingBench.java
CACHE="${PENCHANT_JAVACPP_CACHE:-$HOME/.cache/penchant-javacpp}"
java -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$CACHE" -cp "$OUT/classes:$CP" AttentionServingBench "$DATA" "$@" 2>"$OUT/stderr.txt" \
  | tee "$OUT/results-$(date +%Y%m%d-%H%M%S).txt"
