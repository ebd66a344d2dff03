#!/usr/bin/env bash
# Ingest benchmark: platform-api POST /v1/events vs PostgreSQL COPY of the same rows.
# Needs the packaged platform-api: ./mvnw -B -pl platform-api -am install -DskipTests
# Usage: bench/ingest/run.sh [events=200000] [batch=1000] [clients=4] [warmup=20000] [rounds=3]
#        [jdbc=jdbc:postgresql://127.0.0.1:5432/<fresh db>] [app-opts="-Xmx1g"]
# Without jdbc= it starts an embedded PostgreSQL (zonky; note: fsync=off there).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP="$ROOT/platform-api/target/quarkus-app"
if [[ ! -f "$APP/quarkus-run.jar" ]]; then
  echo "run.sh: $APP/quarkus-run.jar not found; build platform-api first" >&2
  exit 1
fi
cd "$ROOT"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
# the bench reuses the app's own libraries (pgjdbc, zonky) and runs as a single-file source program
exec "$JAVA" -Xmx2g -cp "$APP/lib/main/*" "$ROOT/bench/ingest/IngestBench.java" \
  "app=$APP/quarkus-run.jar" "$@"
