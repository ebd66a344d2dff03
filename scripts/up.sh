#!/usr/bin/env bash
# Starts the whole platform locally: one embedded PostgreSQL shared by every node, then
# platform-api, training-worker, inference-node and admin-ui, loads a demo data set, prints URLs.
# Runs what `./mvnw -B install -DskipTests` built; builds nothing. Ctrl-C stops everything.
# Set QUARKUS_DATASOURCE_JDBC_URL / QUARKUS_DATASOURCE_REACTIVE_URL / QUARKUS_DATASOURCE_USERNAME to
# use your own PostgreSQL instead of the embedded one.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
state="$root/.penchant"
mkdir -p "$state/logs"

nodes=(platform-api:8080 training-worker:8081 inference-node:8082 admin-ui:8083)
for n in "${nodes[@]}"; do
  jar="${n%%:*}/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || { echo "missing $jar: run ./mvnw -B install -DskipTests first" >&2; exit 1; }
done

pids=()
cleanup() {
  echo; echo "stopping..."
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

export PENCHANT_AUTH_BOOTSTRAP_KEYS="${PENCHANT_AUTH_BOOTSTRAP_KEYS:-demo-key}"
key="${PENCHANT_AUTH_BOOTSTRAP_KEYS%%,*}"
javacpp="-Dorg.bytedeco.javacpp.cachedir=${HOME}/.cache/penchant-javacpp"

if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  port="${PENCHANT_EMBEDDED_DB_PORT:-54329}"
  echo "starting embedded PostgreSQL on port $port (data in .penchant/pgdata)"
  java -cp "platform-api/target/quarkus-app/lib/main/*" dev.penchant.support.db.EmbeddedDatabaseMain \
    "$port" "$state/pgdata" > "$state/logs/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do
    grep -q "ready" "$state/logs/postgres.log" 2>/dev/null && break
    sleep 0.5
  done
  grep -q "ready" "$state/logs/postgres.log" || { cat "$state/logs/postgres.log"; exit 1; }
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$port/postgres"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$port/postgres"
  export QUARKUS_DATASOURCE_USERNAME=postgres
fi

for n in "${nodes[@]}"; do
  name="${n%%:*}"; p="${n##*:}"
  QUARKUS_HTTP_PORT="$p" java $javacpp -jar "$name/target/quarkus-app/quarkus-run.jar" \
    > "$state/logs/$name.log" 2>&1 &
  pids+=($!)
  # the first node migrates the schema; start the others after it so logs stay readable
  if [ "$name" = platform-api ]; then
    for _ in $(seq 1 120); do curl -sf "localhost:$p/q/health/ready" >/dev/null && break; sleep 0.5; done
  fi
done
for n in "${nodes[@]}"; do
  name="${n%%:*}"; p="${n##*:}"
  for _ in $(seq 1 180); do curl -sf "localhost:$p/q/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "localhost:$p/q/health/ready" >/dev/null || { echo "$name did not become ready; see .penchant/logs/$name.log" >&2; exit 1; }
done

# Demo data: MovieLens 100K when it sits beside the checkout, else a generated data set.
data="$root/../shared/data/ml-100k"
if [ -d "$data" ]; then
  "$root/penchant" import --url http://localhost:8080 --api-key "$key" --data "$data" --format movielens-atomic
else
  demo="$state/demo-user-item.txt"
  [ -f "$demo" ] || "$root/penchant" generate "$demo" users=500 items=300 min=5 max=30
  "$root/penchant" import --url http://localhost:8080 --api-key "$key" --data "$demo" --format user-item
fi

cat <<MSG

Penchant is running (API key: $key, header X-API-Key).
  platform-api     http://localhost:8080/v1   (OpenAPI: http://localhost:8080/q/openapi)
  training-worker  http://localhost:8081/v1/training-jobs
  inference-node   http://localhost:8082/q/health
  admin-ui         http://localhost:8083/admin
  logs             .penchant/logs/
Ctrl-C stops everything.
MSG
wait
