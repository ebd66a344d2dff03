#!/usr/bin/env bash
# Console render benchmark: every page of the admin console, server time per request (p50/p95), with
# ML-100K loaded through the platform's API, two training jobs (a DNN and popularity) finished and a
# model promoted. Needs the packaged platform-api, training-worker and admin-ui:
#   ./mvnw -B -pl admin-ui -am install -DskipTests
# Usage: bench/console/run.sh [data=../shared/data/ml-100k] [requests=200] [warmup=50]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
for n in platform-api training-worker admin-ui; do
  [[ -f "$ROOT/$n/target/quarkus-app/quarkus-run.jar" ]] || { echo "run.sh: build $n first" >&2; exit 1; }
done
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# the bench reuses platform-api's libraries (zonky's embedded PostgreSQL) and runs as a single-file source program
exec "$JAVA" -Xmx1g -cp "platform-api/target/quarkus-app/lib/main/*" "$ROOT/bench/console/ConsoleBench.java" "$@"
