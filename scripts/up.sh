#!/usr/bin/env bash
# ./penchant up [--no-train]: the whole platform locally. One embedded PostgreSQL shared by every node,
# then platform-api, training-worker, inference-node and admin-ui (packaged, prod profile), a data set
# loaded (ML-100K when it sits beside the checkout, else the generated demo shop, timestamps moved up
# to now), one small model trained and promoted through the control plane, and the URLs, console login
# and API key printed. Runs what `./mvnw -B install -DskipTests` built; builds nothing. Ctrl-C stops
# everything; so does a failed step, after one line saying what failed.
#
# Environment (all optional):
#   PENCHANT_API_PORT / PENCHANT_WORKER_PORT / PENCHANT_INFERENCE_PORT / PENCHANT_CONSOLE_PORT
#                                   8080 / 8081 / 8082 / 8083
#   PENCHANT_EMBEDDED_DB_PORT      54329
#   PENCHANT_STATE_DIR             <checkout>/.penchant (database, logs, generated secrets and demo data)
#   PENCHANT_DATA                  a data set to load instead (with PENCHANT_DATA_FORMAT, default movielens-atomic)
#   QUARKUS_DATASOURCE_JDBC_URL / QUARKUS_DATASOURCE_REACTIVE_URL / QUARKUS_DATASOURCE_USERNAME
#                                   your own PostgreSQL instead of the embedded one
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
train=yes
for arg in "$@"; do
  case "$arg" in
    --no-train) train=no ;;
    *) echo "penchant up: unknown argument $arg (known: --no-train)" >&2; exit 2 ;;
  esac
done
started=$SECONDS
state="${PENCHANT_STATE_DIR:-$root/.penchant}"
mkdir -p "$state/logs"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
api_port="${PENCHANT_API_PORT:-8080}"
worker_port="${PENCHANT_WORKER_PORT:-8081}"
inference_port="${PENCHANT_INFERENCE_PORT:-8082}"
console_port="${PENCHANT_CONSOLE_PORT:-8083}"
nodes=(platform-api:$api_port training-worker:$worker_port inference-node:$inference_port admin-ui:$console_port)

fail() { echo "penchant up: $*" >&2; exit 1; }
for n in "${nodes[@]}"; do
  jar="${n%%:*}/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || fail "missing $jar: run ./mvnw -B install -DskipTests first"
done

pids=()
cleanup() {
  trap - EXIT INT TERM
  if [ ${#pids[@]} -gt 0 ]; then
    echo "stopping..." >&2
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Secrets, random per installation (kept in the state dir, readable by you only): the admin API key,
# the console admin's password and the privacy hash key (user ids are kept only as HMACs under it).
# No well-known default works.
secrets="$state/secrets.env"
if [ ! -f "$secrets" ]; then
  (umask 077
   printf 'PENCHANT_API_KEY=%s\nPENCHANT_ADMIN_PASSWORD=%s\n' \
     "pk_$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)" \
     "$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n' | head -c 20)" > "$secrets")
fi
# installations made before the privacy hash key existed get one (appended once, then kept)
if ! grep -q '^PENCHANT_PRIVACY_HASH_KEY=' "$secrets"; then
  (umask 077; printf 'PENCHANT_PRIVACY_HASH_KEY=%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '/+=\n' | head -c 43)" >> "$secrets")
fi
# shellcheck disable=SC1090
. "$secrets"
key="$PENCHANT_API_KEY"
password="$PENCHANT_ADMIN_PASSWORD"
export PENCHANT_PRIVACY_HASH_KEY # platform-api and inference-node share it

# is_ready PORT: /q/health/ready answers 200 (plain bash, no curl needed)
is_ready() {
  local status
  status=$( (exec 3<>"/dev/tcp/127.0.0.1/$1" && printf 'GET /q/health/ready HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3 \
             && head -1 <&3) 2>/dev/null || true)
  [[ "$status" == *" 200"* ]]
}
# wait_ready NAME PORT PID LOG
wait_ready() {
  for _ in $(seq 1 360); do
    is_ready "$2" && return 0
    kill -0 "$3" 2>/dev/null || fail "$1 stopped while starting: $(grep -m1 -E 'ERROR|Exception' "$4" || tail -1 "$4") (log: $4)"
    sleep 0.5
  done
  fail "$1 did not become ready on port $2 within 180 s (log: $4)"
}

if [ -z "${QUARKUS_DATASOURCE_JDBC_URL:-}" ]; then
  db_port="${PENCHANT_EMBEDDED_DB_PORT:-54329}"
  echo "starting the embedded PostgreSQL on port $db_port (data in $state/pgdata)"
  "$java" -cp "platform-api/target/quarkus-app/lib/main/*" dev.penchant.support.db.EmbeddedDatabaseMain \
    "$db_port" "$state/pgdata" > "$state/logs/postgres.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 120); do grep -q "ready" "$state/logs/postgres.log" 2>/dev/null && break; sleep 0.5; done
  grep -q "ready" "$state/logs/postgres.log" || fail "the embedded PostgreSQL did not start: $(tail -1 "$state/logs/postgres.log") (log: $state/logs/postgres.log)"
  export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://localhost:$db_port/postgres"
  export QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://localhost:$db_port/postgres"
  export QUARKUS_DATASOURCE_USERNAME=postgres
fi

javacpp="-Dorg.bytedeco.javacpp.cachedir=${HOME}/.cache/penchant-javacpp"
for n in "${nodes[@]}"; do
  name="${n%%:*}"; port="${n##*:}"; log="$state/logs/$name.log"
  extra=()
  case "$name" in
    platform-api) extra=(PENCHANT_AUTH_BOOTSTRAP_KEYS="$key" PENCHANT_CONSOLE_ADMIN_PASSWORD="$password") ;;
    # plain http on localhost: the console's cookies cannot be Secure here
    admin-ui) extra=(PENCHANT_CONSOLE_API_URL="http://localhost:$api_port" PENCHANT_CONSOLE_COOKIE_SECURE=false
                     PENCHANT_CONSOLE_INFERENCE_METRICS_URLS="http://localhost:$inference_port/q/metrics") ;;
  esac
  env QUARKUS_HTTP_PORT="$port" "${extra[@]}" "$java" $javacpp -jar "$name/target/quarkus-app/quarkus-run.jar" > "$log" 2>&1 &
  pids+=($!)
  # the first node migrates the schema and stores the key; the others start after it
  if [ "$name" = platform-api ]; then wait_ready "$name" "$port" "$!" "$log"; fi
  eval "pid_${name//-/_}=$!"
done
for n in "${nodes[@]}"; do
  name="${n%%:*}"; pid_var="pid_${name//-/_}"
  wait_ready "$name" "${n##*:}" "${!pid_var}" "$state/logs/$name.log"
done
echo "all nodes ready after $((SECONDS - started)) s"

# Data, training and promotion, through the platform's own API.
demo_args=(--api "http://localhost:$api_port" --inference "http://localhost:$inference_port" --api-key "$key" --state "$state")
if [ -n "${PENCHANT_DATA:-}" ]; then
  demo_args+=(--data "$PENCHANT_DATA" --format "${PENCHANT_DATA_FORMAT:-movielens-atomic}")
elif [ -d "$root/../shared/data/ml-100k" ]; then
  demo_args+=(--data "$root/../shared/data/ml-100k" --format movielens-atomic --dataset ml100k)
fi
[ "$train" = yes ] || demo_args+=(--no-train)
"$root/penchant" demo "${demo_args[@]}" || exit 1

cat <<MSG

Penchant is running ($((SECONDS - started)) s to get here).
  platform-api     http://localhost:$api_port/v1   (OpenAPI: http://localhost:$api_port/q/openapi)
  inference-node   http://localhost:$inference_port/v1/recommendations/{userId}
  training-worker  http://localhost:$worker_port/q/health   (jobs: http://localhost:$api_port/v1/training-jobs)
  admin console    http://localhost:$console_port/admin   (user admin, password $password)
  API key          $key   (header X-API-Key; role admin)
  logs             $state/logs/   secrets: $secrets
Ctrl-C stops everything.
MSG
wait
