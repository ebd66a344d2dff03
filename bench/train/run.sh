#!/usr/bin/env bash
# Training benchmark (see README.md). Uses the built recommender-core jar and its target/lib;
# build first: ./mvnw -B -o -pl recommender-core -am install -DskipTests
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
CORE=recommender-core/target
JAR=$(ls $CORE/recommender-core-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
if [[ -z "$JAR" || ! -d $CORE/lib ]]; then
  echo "recommender-core is not built: ./mvnw -B -o -pl recommender-core -am install -DskipTests" >&2
  exit 1
fi
DATA="${1:-../shared/data/ml-100k}"
shift || true
OUT=bench/train/target
mkdir -p "$OUT/classes"
# run from a private copy of the core jar: a rebuild during the run must not swap classes under us
cp "$JAR" "$OUT/recommender-core.jar"
CP="$OUT/recommender-core.jar:$CORE/lib/*"
javac -nowarn -d "$OUT/classes" -cp "$CP" bench/train/src/TrainBench.java
CACHE="${PENCHANT_JAVACPP_CACHE:-$HOME/.cache/penchant-javacpp}"
java -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$CACHE" -cp "$OUT/classes:$CP" TrainBench "$DATA" "$@" 2>"$OUT/stderr.txt" \
  | tee "$OUT/results-$(date +%Y%m%d-%H%M%S).txt"
