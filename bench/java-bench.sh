#!/usr/bin/env bash
# Compiles and runs one single-file Java benchmark against the command-line module's target/lib (core,
# TensorFlow models and their dependencies), from private copies of the project's jars so a rebuild
# during the run cannot swap classes under it. Build first: ./mvnw -B -pl penchant-cli -am package -DskipTests
# Usage: bench/java-bench.sh NAME MainClass [data dir] [benchmark args...]  (source: bench/NAME/src/MainClass.java)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
NAME="$1"; MAIN="$2"; shift 2
LIB=penchant-cli/target/lib
if ! ls $LIB/recommender-tf-*.jar >/dev/null 2>&1; then
  echo "not built: ./mvnw -B -pl penchant-cli -am package -DskipTests" >&2
  exit 1
fi
DATA="${1:-../shared/data/ml-100k}"
shift || true
OUT=bench/$NAME/target
mkdir -p "$OUT/classes" "$OUT/jars"
cp $LIB/recommender-core-*.jar $LIB/recommender-tf-*.jar "$OUT/jars/"
CP="$OUT/jars/*:$LIB/*"
javac -nowarn -d "$OUT/classes" -cp "$CP" "bench/$NAME/src/$MAIN.java"
CACHE="${PENCHANT_JAVACPP_CACHE:-$HOME/.cache/penchant-javacpp}"
java -Xmx6g -Dorg.bytedeco.javacpp.cachedir="$CACHE" -cp "$OUT/classes:$CP" "$MAIN" "$DATA" "$@" 2>"$OUT/stderr.txt" \
  | tee "$OUT/results-$(date +%Y%m%d-%H%M%S).txt"
