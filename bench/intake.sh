#!/usr/bin/env bash
# Throughput benchmark of the webhook intake (POST /webhooks/ghl). See bench/README.md.
#
#   bench/intake.sh                      # N=50000 measured webhooks, C=64 in flight
#   N=100000 C=256 bench/intake.sh       # other load
#
# Environment (all optional):
#   N                  measured requests per target (default 50000)
#   C                  requests in flight (default 64)
#   WARMUP             warm-up requests per target, not counted (default N/5)
#   CONTACTS           distinct contact ids in the bodies (default 10000)
#   CLIENT_LOOPS       event loops of the load generator (default 2)
#   CONNECTOR_JAVA_OPTS JVM options of the connector (default: the launcher options of docs/operations.md, as in
#                      bench/e2e.sh; until issue 17's sixth pass it was "-Xmx512m", C1 and C2)
#   CONNECTOR_LOG_LEVEL root log level of the connector (default WARN: silences the placeholder flow's
#                      one INFO line per event; Camel's own logger stays at INFO so that start-up is logged)
#   CONNECTOR_ENV      extra VAR=value settings for the connector, space separated (e.g. "INTAKE_BATCH_SIZE=1000")
#   SYNC_DISPATCH_URI  where the dispatcher hands stored events (default log:bench-dispatch?level=DEBUG, a no-op
#                      at log level WARN: the dispatcher still claims and deletes every inbox row, but the flows,
#                      which call GHL and Connectif, do not run; GHL and Connectif URLs point at 127.0.0.1:9 anyway)
#   LOAD_JAVA_OPTS     JVM options of the load generator (default "-Xmx1g")
#   BARE_JAVA_OPTS     JVM options of the bare endpoint (default LOAD_JAVA_OPTS; CONNECTOR_JAVA_OPTS's value compares
#                      the two under the same JIT and heap)
#   BARE_VERIFY=1      the bare endpoint also checks each webhook's Ed25519 signature, as the connector does, before it
#                      answers: the ratio then leaves out the one step of the intake no store or server can skip
#   CONNECTOR_CP_PREFIX classes or jars put before the connector's jar (e.g. another version of a library)
#   EXPERIMENT=NAME    measure the connector with the classes of bench/experiments/NAME/*.java in place of its own
#                      of the same names (to measure a change before making it; bench/README.md names each one)
#   STOP_SIGNAL=KILL   stop the connector with SIGKILL right after the load instead of SIGTERM (crash test of the
#                      "stored durably before 200" promise: the store check then shows what a crash loses)
#   JFR=1              record the connector with Java Flight Recorder and print its hot methods
#   BUILD=copy         build a private copy of the checkout (pom.xml, src, routes, ...) in the work directory and
#                      measure that, instead of target/ (use it while someone else edits and builds the checkout:
#                      then target/ may be older than routes/)
#   SOURCE_DIR=DIR     measure the checkout in DIR (its target/, routes/, application.properties) instead of this one
#   KEEP=1             keep the work directory (logs, H2 store, keys, recording)
#
# Starts, on free loopback ports: a bare Vert.x endpoint (reads the body, answers 200) and the connector with a
# fresh embedded H2 store and a freshly generated Ed25519 key. Sends the same signed load to the bare endpoint, then
# to the connector; prints one table and the ratio; stops both; checks that the store holds one idempotency key per
# accepted webhook.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/lib.sh

N=${N:-50000}
C=${C:-64}
WARMUP=${WARMUP:-$((N / 5))}
CONTACTS=${CONTACTS:-10000}
CLIENT_LOOPS=${CLIENT_LOOPS:-2}
CONNECTOR_JAVA_OPTS=${CONNECTOR_JAVA_OPTS:-$DOCUMENTED_JAVA_OPTS}
CONNECTOR_LOG_LEVEL=${CONNECTOR_LOG_LEVEL:-WARN}
CONNECTOR_ENV=${CONNECTOR_ENV:-}
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--Xmx1g}
BARE_JAVA_OPTS=${BARE_JAVA_OPTS:-$LOAD_JAVA_OPTS}
BARE_VERIFY=${BARE_VERIFY:-0}
SYNC_DISPATCH_URI=${SYNC_DISPATCH_URI:-log:bench-dispatch?level=DEBUG}
JFR=${JFR:-0}
CONNECTOR_CP_PREFIX=${CONNECTOR_CP_PREFIX:-}
EXPERIMENT=${EXPERIMENT:-}
STOP_SIGNAL=${STOP_SIGNAL:-TERM}
KEEP=${KEEP:-0}
BUILD=${BUILD:-}
JFR_TOOL=${JFR_TOOL:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/jfr}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ghl-intake-bench.XXXXXX")
BARE_PID=""
CONNECTOR_PID=""

cleanup() {
    stop "$CONNECTOR_PID" connector
    stop "$BARE_PID" "bare endpoint"
    if [[ "$KEEP" == 1 ]]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# The connector runs from a copy (jar, lib/, routes/, application.properties, mapping.yaml) in $WORK/app, so that
# edits or a rebuild in the checkout during the run cannot change what is measured.
SOURCE=${SOURCE_DIR:-$ROOT}
if [[ "$BUILD" == copy ]]; then
    # a private build of the checkout as it is now, for when someone else edits and builds in it at the same time
    echo "== building a copy of the checkout in $WORK/build"
    mkdir -p "$WORK/build"
    for f in pom.xml src routes application.properties mapping.yaml; do
        [[ -e "$SOURCE/$f" ]] && cp -r "$SOURCE/$f" "$WORK/build/"
    done
    (cd "$WORK/build" && mvn -B -q -o package -DskipTests 2>&1 | tail -20 || mvn -B -q package -DskipTests)
    SOURCE=$WORK/build
else
    build_if_missing "$SOURCE"
fi
APP="$WORK/app"
copy_connector "$SOURCE" "$APP"
echo "== connector: $SOURCE/target/ghl-connectif-sync.jar of $(date -u -r "$SOURCE/target/ghl-connectif-sync.jar" +%FT%TZ)," \
    "with routes/ and application.properties of $SOURCE, copied to $APP"

echo "== compiling bench/src into $WORK/classes"
compile_bench "$WORK/classes" "$APP"
CP="$WORK/classes:$APP/ghl-connectif-sync.jar:$APP/lib/*"
LOAD=(java $LOAD_JAVA_OPTS -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" WebhookLoad)

"${LOAD[@]}" keygen "$WORK/keys"
BARE_PORT=$("${LOAD[@]}" freeport)
PORT=$("${LOAD[@]}" freeport)

BARE_ARGS=(--port "$BARE_PORT" --max-seconds 900)
BARE_CHECKS=""
if [[ "$BARE_VERIFY" == 1 ]]; then BARE_ARGS+=(--verify-key "$WORK/keys/public.b64"); BARE_CHECKS=", checking signatures"; fi
echo "== starting the bare Vert.x endpoint on 127.0.0.1:$BARE_PORT (JVM $BARE_JAVA_OPTS$BARE_CHECKS)"
# shellcheck disable=SC2086
java $BARE_JAVA_OPTS -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" WebhookLoad bare "${BARE_ARGS[@]}" >"$WORK/bare.log" 2>&1 &
BARE_PID=$!

if [[ -n "$EXPERIMENT" ]]; then apply_experiment "$EXPERIMENT" "$APP"; fi

JFR_OPTS=()
if [[ "$JFR" == 1 ]]; then
    JFR_OPTS=(-XX:StartFlightRecording=filename="$WORK/connector.jfr",settings=profile,dumponexit=true)
fi
echo "== starting the connector on 127.0.0.1:$PORT (store $WORK/store, JVM $CONNECTOR_JAVA_OPTS, log level $CONNECTOR_LOG_LEVEL${CONNECTOR_ENV:+, $CONNECTOR_ENV}${CONNECTOR_CP_PREFIX:+, classpath prefix $CONNECTOR_CP_PREFIX})"
# shellcheck disable=SC2086
(cd "$APP" && exec env GHL_AUTH_MODE=private-token GHL_PRIVATE_TOKEN=bench GHL_LOCATION_ID=benchLocation0000001 \
    STORE_URL="jdbc:h2:file:$WORK/store" CAMEL_SERVER_PORT="$PORT" \
    GHL_WEBHOOK_PUBLIC_KEY="$(cat "$WORK/keys/public.b64")" INTAKE_MAX_PENDING=10000000 \
    CONNECTIF_API_KEY=benchKeyId:benchKeySecret CONNECTIF_SETUP_ON_START=false \
    GHL_BASE_URL=http://127.0.0.1:9 CONNECTIF_BASE_URL=http://127.0.0.1:9 SYNC_DISPATCH_URI="$SYNC_DISPATCH_URI" \
    LOG_LEVEL="$CONNECTOR_LOG_LEVEL" $CONNECTOR_ENV \
    java $CONNECTOR_JAVA_OPTS "${JFR_OPTS[@]}" -cp "${CONNECTOR_CP_PREFIX:+$CONNECTOR_CP_PREFIX:}$APP/ghl-connectif-sync.jar" \
    io.github.ghlconnectif.Application) >"$WORK/connector.log" 2>&1 &
CONNECTOR_PID=$!

for _ in $(seq 1 900); do # up to 90 s
    grep -q "started in" "$WORK/connector.log" 2>/dev/null && break
    kill -0 "$CONNECTOR_PID" 2>/dev/null || { echo "!! the connector exited:"; tail -30 "$WORK/connector.log"; exit 1; }
    sleep 0.1
done
grep -q "started in" "$WORK/connector.log" || { echo "!! the connector did not start within 90 s"; tail -30 "$WORK/connector.log"; exit 1; }

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the load"
echo "== load: $N measured + $WARMUP warm-up webhooks per target, $C in flight, $CLIENT_LOOPS client event loops"
written_bytes() { awk '/^write_bytes/ {print $2}' "/proc/$CONNECTOR_PID/io" 2>/dev/null || echo 0; }
WRITTEN_BEFORE=$(written_bytes)
timeout 900 "${LOAD[@]}" load --keys "$WORK/keys" --n "$N" --c "$C" --warmup "$WARMUP" --contacts "$CONTACTS" \
    --client-loops "$CLIENT_LOOPS" --max-seconds 120 --summary "$WORK/summary.properties" \
    --target "bare=http://127.0.0.1:$BARE_PORT/webhooks/ghl" --pid "bare=$BARE_PID" \
    --target "connector=http://127.0.0.1:$PORT/webhooks/ghl" --pid "connector=$CONNECTOR_PID"

PEAK_RSS_KB=$(awk '/VmHWM/ {print $2}' "/proc/$CONNECTOR_PID/status" 2>/dev/null || echo "?")
echo "connector peak RSS: $((PEAK_RSS_KB / 1024)) MB (VmHWM)"
# what the store costs in writes: bytes the connector sent to the disk during the load (its warm-up and measured
# webhooks, and the dispatcher emptying the inbox meanwhile), per webhook sent to it
echo "connector wrote $(( ($(written_bytes) - WRITTEN_BEFORE) / (N + WARMUP) )) bytes to the disk per webhook during the load"

stop "$BARE_PID" "bare endpoint"
STOP_START=$(date +%s)
if [[ "$STOP_SIGNAL" == KILL ]]; then
    echo "== SIGKILL to the connector (STOP_SIGNAL=KILL)"
    kill -KILL "$CONNECTOR_PID"; wait "$CONNECTOR_PID" 2>/dev/null || true
fi
stop "$CONNECTOR_PID" connector
echo "connector stopped in $(( $(date +%s) - STOP_START )) s"
CONNECTOR_PID=""
if grep -q -E "ERROR|Exception" "$WORK/connector.log"; then
    echo "!! the connector logged errors:"; grep -E "ERROR|Exception" "$WORK/connector.log" | sort | uniq -c | sort -rn | head -10
fi

# the H2 version the connector runs with, from the jar's Class-Path
H2_JAR=$(unzip -p "$APP/ghl-connectif-sync.jar" META-INF/MANIFEST.MF | tr -d '\r' | sed ':a;N;$!ba;s/\n //g' \
    | grep -o 'lib/h2-[0-9.]*\.jar' | head -1)
query() {
    java -cp "$APP/$H2_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$WORK/store" -user "" -password "" -sql "$1" \
        | awk 'NR == 2 {print $1}' || echo "?"
}
STORED=$(query "SELECT COUNT(*) FROM event_key")
LEFT=$(query "SELECT COUNT(*) FROM inbox")
DEAD=$(query "SELECT COUNT(*) FROM dead_letter")
ACCEPTED=$(awk -F= '$1 == "connector.accepted.total" {print $2}' "$WORK/summary.properties")
echo "store check: $ACCEPTED webhooks answered accepted (warm-up + measured), $STORED idempotency keys stored," \
    "$LEFT still in the inbox, $DEAD dead letters: $([[ "$ACCEPTED" == "$STORED" ]] && echo OK || echo MISMATCH)"

if [[ "$JFR" == 1 && -f "$WORK/connector.jfr" ]]; then
    echo "== JFR hot methods of the connector ($WORK/connector.jfr)"
    java -cp "$CP" JfrBreakdown "$WORK/connector.jfr"
    if [[ -x "$JFR_TOOL" ]]; then "$JFR_TOOL" view --width 160 hot-methods "$WORK/connector.jfr" || true; fi
    KEEP=1
fi
