#!/usr/bin/env bash
# Serving benchmark (see README.md). Starts the packaged inference node against a fresh database on
# a PostgreSQL server, loads ML-100K, trains and promotes the model, loads the node with concurrent
# HTTP clients and compares with in-process scoring of the same model.
# Build first: ./mvnw -B -pl inference-node,penchant-cli -am package -DskipTests
# Also runs wrk (installed with apt-get when missing) with the same concurrency as a cross-check
# whose client costs less CPU than the JVM client on a small machine.
# Usage: bench/serve/run.sh [ml-100k dir] [clients=16] [seconds=30] [soak seconds=120]
#        BENCH_MODE=experiment bench/serve/run.sh [dir] [clients] [seconds per window]: no experiment vs a
#        running 50/50 two-model experiment, BENCH_ROUNDS (3) alternating windows each, BENCH_EPOCHS (1)
#        (BENCH_SAME_MODEL=true: both variants on one model, to separate routing from a second model's cost)
# Env: PGHOST/PGPORT (default 127.0.0.1:5432, user postgres, trust auth), BENCH_DB (penchant_bench),
#      NODE_PORT (18082), NODE_XMX (1g), BENCH_EPOCHS (10),
#      NODE_CPUS / CLIENT_CPUS (e.g. 0 / 1): pin the node, and the in-process run it is compared with,
#      to NODE_CPUS, and the clients and PostgreSQL to CLIENT_CPUS, so both sides of the ratio get the
#      same cores (PostgreSQL's affinity is restored at the end).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
DATA="${1:-../shared/data/ml-100k}"
CLIENTS="${2:-16}"; SECONDS_RUN="${3:-30}"; SOAK="${4:-120}"
PGHOST="${PGHOST:-127.0.0.1}"; PGPORT="${PGPORT:-5432}"; DB="${BENCH_DB:-penchant_bench}"
PORT="${NODE_PORT:-18082}"; KEY=bench-key-0123456789abcdefghijklmnopqr # prod profile: 32+ characters
APP=inference-node/target/quarkus-app/quarkus-run.jar
LIB=penchant-cli/target/lib
NODE_JAR=inference-node/target/inference-node-0.1.0-SNAPSHOT.jar
if [[ ! -f $APP || ! -d $LIB || ! -f $NODE_JAR ]]; then
  echo "not built: ./mvnw -B -pl inference-node,penchant-cli -am package -DskipTests" >&2; exit 1
fi
MODE="${BENCH_MODE:-serve}"
[[ $MODE == experiment ]] || command -v wrk >/dev/null || { apt-get install -y wrk >/dev/null || echo "wrk unavailable; skipping the wrk run" >&2; }
PGJDBC=$(ls inference-node/target/quarkus-app/lib/main/org.postgresql.postgresql-*.jar | head -1)
OUT=bench/serve/target; mkdir -p "$OUT/classes"
CACHE="${PENCHANT_JAVACPP_CACHE:-$HOME/.cache/penchant-javacpp}"

psql -h "$PGHOST" -p "$PGPORT" -U postgres -q -c "drop database if exists $DB" -c "create database $DB"
NODE_PIN=(); CLIENT_PIN=(); PIN_PROP=()
if [[ -n "${NODE_CPUS:-}" ]]; then
  NODE_PIN=(taskset -c "$NODE_CPUS"); CLIENT_PIN=(taskset -c "${CLIENT_CPUS:?set CLIENT_CPUS too}")
  PIN_PROP=(-Dbench.nodeCpus="$NODE_CPUS")
  # new backends inherit the postmaster's affinity, so the node's connections run on CLIENT_CPUS
  for p in $(pgrep -x postgres); do taskset -a -p -c "$CLIENT_CPUS" "$p" >/dev/null; done
  echo "pinned: node + in-process on CPUs $NODE_CPUS; clients + PostgreSQL on CPUs $CLIENT_CPUS"
fi
restore_pg() {
  if [[ -n "${NODE_CPUS:-}" ]]; then
    for p in $(pgrep -x postgres); do taskset -a -p -c "0-$(($(nproc) - 1))" "$p" >/dev/null 2>&1 || true; done
  fi
}
JDBC="jdbc:postgresql://$PGHOST:$PGPORT/$DB"

QUARKUS_DATASOURCE_JDBC_URL="$JDBC" QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$DB" \
QUARKUS_DATASOURCE_USERNAME=postgres PENCHANT_AUTH_BOOTSTRAP_KEYS=$KEY QUARKUS_HTTP_PORT=$PORT \
  "${NODE_PIN[@]}" java -Xmx"${NODE_XMX:-1g}" -Dorg.bytedeco.javacpp.cachedir="$CACHE" -jar $APP >"$OUT/node.log" 2>&1 &
NODE_PID=$!
trap 'kill $NODE_PID 2>/dev/null || true; restore_pg' EXIT
for i in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null && break
  kill -0 $NODE_PID 2>/dev/null || { echo "node died, see $OUT/node.log" >&2; exit 1; }
  sleep 1
done

CP="$LIB/*:$NODE_JAR:$PGJDBC"
javac -nowarn -d "$OUT/classes" -cp "$CP" bench/serve/src/ServeBench.java
echo "load average before: $(cut -d" " -f1-3 /proc/loadavg) on $(nproc) cores"
EPOCHS_DEFAULT=10; [[ $MODE == experiment ]] && EPOCHS_DEFAULT=1
"${CLIENT_PIN[@]}" java -Xmx2g "${PIN_PROP[@]}" -Dbench.mode="$MODE" -Dbench.distinct="${BENCH_DISTINCT:-false}" -Dbench.sameModel="${BENCH_SAME_MODEL:-false}" -Dbench.window="${BENCH_WINDOW:-50}" -Dbench.rounds="${BENCH_ROUNDS:-3}" -Dbench.epochs="${BENCH_EPOCHS:-$EPOCHS_DEFAULT}" -Dorg.bytedeco.javacpp.cachedir="$CACHE" -cp "$OUT/classes:$CP" ServeBench "$DATA" "$JDBC" \
  "http://127.0.0.1:$PORT" $KEY $NODE_PID "$CLIENTS" "$SECONDS_RUN" "$SOAK" 2>"$OUT/stderr.txt" \
  | tee "$OUT/results.txt"

if [[ $MODE != experiment ]] && command -v wrk >/dev/null; then
  echo "--- wrk: $CLIENTS connections, 2 threads, ${SECONDS_RUN}s"
  BENCH_KEY=$KEY BENCH_USERS=943 "${CLIENT_PIN[@]}" wrk -t2 -c"$CLIENTS" -d"${SECONDS_RUN}s" --latency -s bench/serve/users.lua \
    "http://127.0.0.1:$PORT" | tee "$OUT/wrk.txt"
  INPROC=$(awk '/^in-process \(same/ {for (i=1;i<=NF;i++) if ($i ~ /^scorings\/s/) print $(i-1)}' "$OUT/results.txt")
  WRK_RPS=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk.txt")
  awk -v h="$WRK_RPS" -v p="$INPROC" 'BEGIN { if (p > 0) printf "ratio wrk HTTP / in-process: %.2f\n", h / p }' | tee -a "$OUT/wrk.txt"
fi
echo "load average after: $(cut -d" " -f1-3 /proc/loadavg)"
echo "node RSS at the end: $(awk '/VmRSS/ {print int($2/1024)}' /proc/$NODE_PID/status) MiB"
cp "$OUT/results.txt" "$OUT/results-$(date +%Y%m%d-%H%M%S).txt"
