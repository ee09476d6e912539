#!/usr/bin/env bash
# Backfill pacing benchmark (issue 6 §4): the connector backfills N contacts from a GHL stub that enforces
# MAX requests per INTERVAL_MS (a strict sliding window, 429 beyond it). See bench/README.md.
#
#   bench/backfill.sh                                   # N=10000 contacts, the default budget share (0.5)
#   N=10000 SHARE=1.0 bench/backfill.sh                 # initial import with no live traffic: the whole budget
#   N=200 INTERVAL_MS=2000 bench/backfill.sh            # quick check with a shortened window
#
# Environment (all optional):
#   N                  contacts in the GHL stub's location (default 10000)
#   SHARE              sync.backfill.budget-share of the connector (default 0.5, the connector's default)
#   MAX                requests the GHL stub allows per window (default 100, GHL's burst limit)
#   INTERVAL_MS        the stub's window in ms (default 10000)
#   TIMEOUT_MINUTES    give up after this long (default 150)
#   CONNECTOR_JAVA_OPTS JVM options of the connector (default "-Xmx512m")
#   CONNECTOR_LOG_LEVEL root log level of the connector (default WARN)
#   CONNECTOR_ENV      extra VAR=value settings for the connector, space separated
#   BUILD=0            measure the jar in target/ as it is, without mvn -B -q package -DskipTests first
#   SOURCE_DIR=DIR     measure the checkout in DIR (its target/, routes/, application.properties) instead of this one
#   KEEP=1             keep the work directory (logs, H2 store, per-second histogram)
#
# Builds the jar (mvn -B -q package -DskipTests), copies it to a work directory, starts the
# two stubs (bench/src/BackfillBench.java: GHL with N contacts, Connectif with no limit) and the connector (fresh
# embedded H2 store, private token, admin token, reconciliation timer off, Connectif setup off) on free loopback
# ports, starts the backfill with POST /admin/backfill, follows GET /admin/status until the backfill is done, the
# inbox is empty and every contact was upserted in Connectif, and prints the figures.
set -euo pipefail
# the whole script is one function, read before it runs: editing the file during a long run cannot break that run
main() {
cd "$(dirname "$0")/.."
ROOT=$PWD

N=${N:-10000}
SHARE=${SHARE:-0.5}
MAX=${MAX:-100}
INTERVAL_MS=${INTERVAL_MS:-10000}
TIMEOUT_MINUTES=${TIMEOUT_MINUTES:-150}
CONNECTOR_JAVA_OPTS=${CONNECTOR_JAVA_OPTS:--Xmx512m}
CONNECTOR_LOG_LEVEL=${CONNECTOR_LOG_LEVEL:-WARN}
CONNECTOR_ENV=${CONNECTOR_ENV:-}
KEEP=${KEEP:-0}
BUILD=${BUILD:-1}
LOCATION=benchLocation0000001

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ghl-backfill-bench.XXXXXX")
CONNECTOR_PID=""
BENCH_PID=""

source bench/lib.sh
cleanup() {
    stop "$BENCH_PID" stubs
    stop "$CONNECTOR_PID" connector
    if [[ "$KEEP" == 1 ]]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The connector runs from a copy (jar, lib/, routes/, application.properties, mapping.yaml) in $WORK/app, so that
# edits or a rebuild in the checkout during the run cannot change what is measured.
SOURCE=${SOURCE_DIR:-$ROOT}
if [[ "$BUILD" != 0 || ! -f "$SOURCE/target/ghl-connectif-sync.jar" || ! -d "$SOURCE/target/lib" ]]; then
    echo "== building $SOURCE/target/ghl-connectif-sync.jar (mvn -B -q package -DskipTests)"
    (cd "$SOURCE" && mvn -B -q package -DskipTests)
fi
APP="$WORK/app"
copy_connector "$SOURCE" "$APP"
echo "== connector: $SOURCE/target/ghl-connectif-sync.jar of $(date -u -r "$SOURCE/target/ghl-connectif-sync.jar" +%FT%TZ)," \
    "commit $(git -C "$SOURCE" rev-parse --short HEAD 2>/dev/null || echo '?'), copied to $APP"

echo "== compiling bench/src into $WORK/classes"
compile_bench "$WORK/classes" "$APP"
CP="$WORK/classes:$APP/lib/*"
TOOL=(java -Xmx512m -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP")

GHL_PORT=$("${TOOL[@]}" WebhookLoad freeport)
CONNECTIF_PORT=$("${TOOL[@]}" WebhookLoad freeport)
PORT=$("${TOOL[@]}" WebhookLoad freeport)
ADMIN=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')

echo "== machine: $(nproc) cores, $(java -version 2>&1 | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== stubs and driver: N=$N contacts, GHL limit $MAX per $INTERVAL_MS ms, budget share $SHARE"
BENCH_ADMIN_TOKEN="$ADMIN" "${TOOL[@]}" BackfillBench --ghl-port "$GHL_PORT" --connectif-port "$CONNECTIF_PORT" \
    --connector-port "$PORT" --contacts "$N" --max "$MAX" --interval-ms "$INTERVAL_MS" --share "$SHARE" \
    --location "$LOCATION" --timeout-minutes "$TIMEOUT_MINUTES" --work "$WORK" &
BENCH_PID=$!

echo "== starting the connector on 127.0.0.1:$PORT (store $WORK/store, JVM $CONNECTOR_JAVA_OPTS, log $WORK/connector.log)"
# shellcheck disable=SC2086
(cd "$APP" && exec env GHL_AUTH_MODE=private-token GHL_PRIVATE_TOKEN=bench GHL_LOCATION_ID=$LOCATION \
    STORE_URL="jdbc:h2:file:$WORK/store" CAMEL_SERVER_PORT="$PORT" ADMIN_TOKEN="$ADMIN" \
    GHL_BASE_URL="http://127.0.0.1:$GHL_PORT" CONNECTIF_BASE_URL="http://127.0.0.1:$CONNECTIF_PORT" \
    CONNECTIF_API_KEY=benchKeyId:benchKeySecret CONNECTIF_SETUP_ON_START=false \
    SYNC_BACKFILL_BUDGET_SHARE="$SHARE" SYNC_RECONCILE_CRON="0 0 0 1 1 ? 2099" \
    LOG_LEVEL="$CONNECTOR_LOG_LEVEL" $CONNECTOR_ENV \
    java $CONNECTOR_JAVA_OPTS -cp "$APP/ghl-connectif-sync.jar" io.github.ghlconnectif.Application) \
    >"$WORK/connector.log" 2>&1 &
CONNECTOR_PID=$!

set +e
wait "$BENCH_PID"
RC=$?
set -e
BENCH_PID=""
stop "$CONNECTOR_PID" connector
CONNECTOR_PID=""
if grep -q -E "^[0-9:.]+ (WARN|ERROR)" "$WORK/connector.log"; then
    echo "== the connector logged warnings or errors (counts):"
    grep -E "^[0-9:.]+ (WARN|ERROR)" "$WORK/connector.log" | sed -E 's/^[0-9:.]+ //; s/[0-9]+ ms/N ms/; s/retry [0-9]+/retry K/' \
        | sort | uniq -c | sort -rn | head -10
fi
[[ "$RC" == 0 ]] || KEEP=1
exit "$RC"
}
main "$@"
