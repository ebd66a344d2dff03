#!/usr/bin/env bash
# The README's first run, as a new user meets it: clones this repository's HEAD into a temporary
# directory with no ../shared beside it, builds it offline from the local Maven repository
# (`./mvnw -B -o install -DskipTests`, with the -Dmaven.repo.local given here, if any), runs
# `./penchant up` on free ports, checks that recommendations and similar items answer 200 with items,
# that the console's login page answers and a login works, then stops everything. Exit status 0 when
# all of that held; prints how long the build and the start took.
#   scripts/first-run-check.sh [-Dmaven.repo.local=DIR] [--keep]
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
maven_args=()
keep=no
for a in "$@"; do
  case "$a" in
    -Dmaven.repo.local=*) maven_args+=("$a") ;;
    --keep) keep=yes ;;
    *) echo "first-run-check: unknown argument $a" >&2; exit 2 ;;
  esac
done
work="$(mktemp -d "${TMPDIR:-/tmp}/penchant-first-run.XXXXXX")"
up_pid=""
finish() {
  local code=$?
  if [ -n "$up_pid" ] && kill -0 "$up_pid" 2>/dev/null; then
    kill "$up_pid" 2>/dev/null || true
    wait "$up_pid" 2>/dev/null || true
  fi
  if [ "$keep" = yes ] || [ $code -ne 0 ]; then echo "first-run-check: kept $work (up's output: $work/up.log)" >&2
  else rm -rf "$work"; fi
  exit $code
}
trap finish EXIT
fail() { echo "first-run-check: FAILED: $*" >&2; exit 1; }

git clone -q "$src" "$work/penchant"
cd "$work/penchant"
[ ! -e ../shared ] || fail "$work/shared exists; the check needs a checkout with nothing beside it"
echo "first-run-check: building $(git rev-parse --short HEAD) offline in $work/penchant"
t0=$SECONDS
if ! ./mvnw -B -q -o "${maven_args[@]}" install -DskipTests > "$work/build.log" 2>&1; then
  # a local repository filled by `verify` alone may lack the install plugin: fetch what is missing, once
  if grep -qE "offline mode|has not been downloaded|Cannot access .* in offline" "$work/build.log"; then
    echo "first-run-check: the local repository lacks some build plugins; fetching them (online) and building again"
    ./mvnw -B -q "${maven_args[@]}" install -DskipTests > "$work/build.log" 2>&1 \
      || { grep -m3 "ERROR" "$work/build.log" >&2 || true; fail "the build failed (log: $work/build.log)"; }
  else
    grep -m3 "ERROR" "$work/build.log" >&2 || true
    fail "the offline build failed (log: $work/build.log)"
  fi
fi
build_s=$((SECONDS - t0))

# five free ports from a random start, so parallel runs and a platform on 8080-8083 do not collide
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports=()
p=$((20000 + RANDOM % 20000))
while [ ${#ports[@]} -lt 5 ]; do
  port_free "$p" && ports+=("$p")
  p=$((p + 1))
done
export PENCHANT_API_PORT=${ports[0]} PENCHANT_WORKER_PORT=${ports[1]} PENCHANT_INFERENCE_PORT=${ports[2]} \
  PENCHANT_CONSOLE_PORT=${ports[3]} PENCHANT_EMBEDDED_DB_PORT=${ports[4]} PENCHANT_STATE_DIR="$work/state"

t1=$SECONDS
./penchant up > "$work/up.log" 2>&1 &
up_pid=$!
until grep -q "^Penchant is running" "$work/up.log" 2>/dev/null; do
  kill -0 "$up_pid" 2>/dev/null || fail "./penchant up stopped: $(grep -m1 '^penchant up:' "$work/up.log" || tail -1 "$work/up.log")"
  [ $((SECONDS - t1)) -lt 1200 ] || fail "./penchant up not running after 1200 s (log: $work/up.log)"
  sleep 2
done
up_s=$((SECONDS - t1))
key="$(sed -n 's/^  API key *\(pk_[^ ]*\).*/\1/p' "$work/up.log")"
password="$(sed -n 's/.*(user admin, password \([^)]*\)).*/\1/p' "$work/up.log")"
user="$(sed -n 's/.*recommendations for \([^ ]*\) are personalised.*/\1/p' "$work/up.log")"
[ -n "$key" ] && [ -n "$password" ] && [ -n "$user" ] || fail "up did not print the key, the console login and a personalised user"

# http METHOD PORT PATH [BODY] [HEADER...]: the whole answer (HTTP/1.0, plain bash)
http() {
  local method=$1 port=$2 path=$3 body=${4:-}; shift 4 || shift $#
  exec 3<>"/dev/tcp/127.0.0.1/$port"
  { printf '%s %s HTTP/1.0\r\nHost: localhost\r\n' "$method" "$path"
    for h in "$@"; do printf '%s\r\n' "$h"; done
    if [ -n "$body" ]; then printf 'Content-Length: %s\r\n' "${#body}"; fi
    printf '\r\n%s' "$body"; } >&3
  cat <&3
  exec 3<&-
}
status() { head -1 | cut -d' ' -f2; }

r="$(http GET "$PENCHANT_INFERENCE_PORT" "/v1/recommendations/$user?k=5" "" "X-API-Key: $key")"
[ "$(status <<<"$r")" = 200 ] && grep -q '"fallback":false' <<<"$r" && grep -q '"items":\[{"itemId"' <<<"$r" \
  || fail "recommendations for $user: $(tail -1 <<<"$r")"
item="$(grep -o '"itemId":"[^"]*"' <<<"$r" | head -1 | cut -d'"' -f4)"
r="$(http GET "$PENCHANT_INFERENCE_PORT" "/v1/items/$item/similar?k=5" "" "X-API-Key: $key")"
[ "$(status <<<"$r")" = 200 ] && grep -q '"items":\[{"itemId"' <<<"$r" || fail "similar items of $item: $(tail -1 <<<"$r")"
r="$(http GET "$PENCHANT_CONSOLE_PORT" /admin/login "")"
[ "$(status <<<"$r")" = 200 ] && grep -q 'name="password"' <<<"$r" || fail "console login page: $(head -1 <<<"$r")"
# the login form is CSRF-protected: its cookie and hidden field travel together
csrf="$(grep -i '^Set-Cookie: penchant_csrf=' <<<"$r" | sed 's/^[^:]*: penchant_csrf=//; s/;.*//' | tr -d '\r')"
r="$(http POST "$PENCHANT_CONSOLE_PORT" /admin/login "username=admin&password=$password&next=/admin&_csrf=$csrf" \
  "Content-Type: application/x-www-form-urlencoded" "Cookie: penchant_csrf=$csrf")"
[ "$(status <<<"$r")" = 303 ] || fail "console login: $(head -1 <<<"$r")"
cookie="$(grep -i '^Set-Cookie: penchant_session=' <<<"$r" | sed 's/^[^:]*: //; s/;.*//' | tr -d '\r')"
r="$(http GET "$PENCHANT_CONSOLE_PORT" /admin "" "Cookie: $cookie" "Accept: text/html")"
[ "$(status <<<"$r")" = 200 ] && grep -q 'id="events"' <<<"$r" || fail "console overview after login: $(head -1 <<<"$r")"

echo "first-run-check: OK: build ${build_s} s, ./penchant up ${up_s} s to running (nodes, demo data, a model trained and promoted);"
grep -E "^(loaded|trained|the inference|all nodes)" "$work/up.log" | sed 's/^/  /'
