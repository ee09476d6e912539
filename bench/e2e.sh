#!/usr/bin/env bash
# End-to-end benchmark: signed GHL webhooks in, Connectif requests out, against local stubs. See bench/README.md.
#
#   bench/e2e.sh                         # embedded H2 store
#   STORE=postgresql bench/e2e.sh        # PostgreSQL at 127.0.0.1:5432 (a fresh database, dropped afterwards)
#
# Environment (all optional):
#   N                  webhooks per phase (default 20000): first as fast as accepted, then at RATE per second
#   CONTACTS           contacts the webhooks are spread over (default 2000)
#   C                  requests in flight in the first phase (default 64)
#   RATE               offered webhooks per second in the second phase (default 500)
#   STUB_DELAY_MS      delay of every stub answer (default 5)
#   PHASES             what to run, in order (default burst,rate): burst (N webhooks, C in flight), rate (N at RATE/s),
#                      backlog (fill the inbox while the GHL stub holds its answers, then measure the drain; one phase
#                      per size in BACKLOG), trickle (TRICKLE_SECONDS at each rate of TRICKLE, open loop)
#   BACKLOG            pending events of the backlog phases (default 1000,100000)
#   TRICKLE            offered webhooks per second of the trickle phases (default 20,40)
#   TRICKLE_SECONDS    length of each trickle phase (default 60)
#                      soak: SOAK_ROUNDS bursts of N, each built just before it is sent and stamped with that time,
#                      the store's size printed after each (with MAX_AGE and PURGE_CRON, the purge runs meanwhile)
#   SOAK_ROUNDS        rounds of the soak phase (default 50: a million events with the default N)
#   MAX_AGE            ghl.webhook.max-age of the connector (default: the connector's, 3d)
#   PURGE_CRON         store.purge-cron of the connector (default: the connector's, hourly)
#   STORE              h2 (default) or postgresql
#   H2_SETTINGS        settings appended to the H2 URL, e.g. ";RETENTION_TIME=1000"
#   PG_HOST, PG_PORT, PG_USER  the PostgreSQL server (default 127.0.0.1, 5432, postgres; trust auth, like the tests)
#   CONNECTOR_JAVA_OPTS JVM options of the connector (default: the launcher options documented in bench/README.md)
#   CDS=0              no AppCDS archive (default 1: a first start of the connector writes one, the measured start uses it)
#   MEASURED_JAVA_OPTS JVM options added to the measured start only, not to the one that writes the AppCDS archive
#                      (which refuses an agent): e.g. -agentpath:.../libasyncProfiler.so=start,event=cpu,file=...
#   SYNC_CONCURRENCY   contacts processed at once (sync.concurrency; default 32)
#   CONNECTOR_ENV      extra VAR=value settings of the connector, space separated
#   FLOWS=0            the dispatcher hands each event to a no-op instead of the flows (nothing reaches GHL or
#                      Connectif; a phase ends when the inbox is empty): what the intake, the store and the dispatcher
#                      cost per event without the flows, e.g. PHASES=trickle FLOWS=0
#   JFR=1              record the connector with Java Flight Recorder and summarise it
#   NMT=1              native memory tracking: print the JVM's memory summary at the end of the run
#   EXPERIMENT=NAME    measure the connector with the classes of bench/experiments/NAME/*.java in place of its own
#                      of the same names (to measure a change before making it; bench/README.md names each one)
#   SOURCE_DIR=DIR     measure the connector built in DIR (its target/, routes/, application.properties), e.g. a
#                      worktree of another commit, with this checkout's bench (to compare before and after)
#   WRITE_README=0     do not write the table into bench/README.md
#   KEEP=1             keep the work directory (logs, store, recording)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
source bench/lib.sh

N=${N:-20000}
CONTACTS=${CONTACTS:-2000}
C=${C:-64}
RATE=${RATE:-500}
STUB_DELAY_MS=${STUB_DELAY_MS:-5}
STORE=${STORE:-h2}
PHASES=${PHASES:-burst,rate}
BACKLOG=${BACKLOG:-1000,100000}
TRICKLE=${TRICKLE:-20,40}
TRICKLE_SECONDS=${TRICKLE_SECONDS:-60}
SOAK_ROUNDS=${SOAK_ROUNDS:-50}
MAX_AGE=${MAX_AGE:-}
PURGE_CRON=${PURGE_CRON:-}
H2_SETTINGS=${H2_SETTINGS:-}
FLOWS=${FLOWS:-1}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
CONNECTOR_JAVA_OPTS=${CONNECTOR_JAVA_OPTS:-$DOCUMENTED_JAVA_OPTS}
CDS=${CDS:-1}
SYNC_CONCURRENCY=${SYNC_CONCURRENCY:-32}
CONNECTOR_ENV=${CONNECTOR_ENV:-}
JFR=${JFR:-0}
NMT=${NMT:-0}
WRITE_README=${WRITE_README:-1}
KEEP=${KEEP:-0}
JFR_TOOL=${JFR_TOOL:-$(dirname "$(readlink -f "$(command -v java)")")/jfr}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ghl-e2e-bench.XXXXXX")
PG_DB=""
TRAIN_PID=""
cleanup() {
    if [[ -n "$TRAIN_PID" ]] && kill -0 "$TRAIN_PID" 2>/dev/null; then kill -KILL "$TRAIN_PID"; fi
    if [[ -f "$WORK/connector.pid" ]]; then
        pid=$(cat "$WORK/connector.pid")
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
    if [[ -n "$PG_DB" ]]; then
        psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d test -c "DROP DATABASE IF EXISTS $PG_DB" || true
    fi
    if [[ "$KEEP" == 1 ]]; then echo "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

SOURCE=${SOURCE_DIR:-$ROOT}
build_if_missing "$SOURCE"
COMMIT=$(git -C "$SOURCE" rev-parse --short HEAD 2>/dev/null || echo '?')
# the connector runs from a copy, so that a rebuild of the checkout during the run changes nothing measured
APP="$WORK/app"
copy_connector "$SOURCE" "$APP"
echo "== connector: $SOURCE/target/ghl-connectif-sync.jar of $(date -u -r "$SOURCE/target/ghl-connectif-sync.jar" +%FT%TZ), commit $COMMIT"
if [[ -n "${EXPERIMENT:-}" ]]; then apply_experiment "$EXPERIMENT" "$APP"; fi

compile_bench "$WORK/classes" "$APP"
CP="$WORK/classes:$APP/lib/*"
TOOL=(java -Xmx1g -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP")
"${TOOL[@]}" WebhookLoad keygen "$WORK/keys"
PORT=$("${TOOL[@]}" WebhookLoad freeport)
GHL_PORT=$("${TOOL[@]}" WebhookLoad freeport)
CNF_PORT=$("${TOOL[@]}" WebhookLoad freeport)

if [[ "$STORE" == postgresql ]]; then
    PG_DB="ghl_e2e_$(date +%s)_$$"
    psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d test -c "CREATE DATABASE $PG_DB"
    STORE_ENV=(STORE_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB" STORE_USERNAME="$PG_USER")
    STORE_ARGS=(--pg-database "$PG_DB" --pg-host "$PG_HOST" --pg-port "$PG_PORT" --pg-user "$PG_USER")
else
    STORE_ARGS=(--store-file "$WORK/store.mv.db")
    STORE_ENV=(STORE_URL="jdbc:h2:file:$WORK/store$H2_SETTINGS")
fi

# shellcheck disable=SC2206
CONNECTOR_ENV_ARR=(GHL_AUTH_MODE=private-token GHL_PRIVATE_TOKEN=bench GHL_LOCATION_ID=benchLocation0000001
    CONNECTIF_API_KEY=benchKeyId:benchKeySecret GHL_WEBHOOK_PUBLIC_KEY="$(cat "$WORK/keys/public.b64")"
    GHL_BASE_URL="http://127.0.0.1:$GHL_PORT" CONNECTIF_BASE_URL="http://127.0.0.1:$CNF_PORT"
    CAMEL_SERVER_PORT="$PORT" LOG_LEVEL=WARN SYNC_CONCURRENCY="$SYNC_CONCURRENCY" GHL_HTTP_TIMEOUT=900s
    "SYNC_RECONCILE_CRON=0 0 0 1 1 ? 2099" "${STORE_ENV[@]}" ${MAX_AGE:+GHL_WEBHOOK_MAX_AGE=$MAX_AGE}
    ${PURGE_CRON:+"STORE_PURGE_CRON=$PURGE_CRON"} $CONNECTOR_ENV)
if [[ "$FLOWS" == 0 ]]; then
    # a log endpoint below the connector's log level: the dispatcher claims, hands over and removes each event
    CONNECTOR_ENV_ARR+=("SYNC_DISPATCH_URI=log:bench-no-flows?level=DEBUG")
fi
# shellcheck disable=SC2206
JAVA_OPTS=($CONNECTOR_JAVA_OPTS)

if [[ "$CDS" == 1 ]]; then
    # AppCDS (JDK 17): one start with -XX:ArchiveClassesAtExit writes the classes it loaded; later starts map them
    echo "== writing the AppCDS archive: one start and stop of the connector (store $WORK/cds-store)"
    (cd "$APP" && exec env "${CONNECTOR_ENV_ARR[@]}" STORE_URL="jdbc:h2:file:$WORK/cds-store" STORE_USERNAME= \
        java "${JAVA_OPTS[@]}" -XX:ArchiveClassesAtExit="$APP/app.jsa" -jar ghl-connectif-sync.jar) >"$WORK/cds.log" 2>&1 &
    TRAIN_PID=$!
    for _ in $(seq 1 600); do
        # any answer: /health says 503 here, the stubs are not up yet
        curl -s -o /dev/null "http://127.0.0.1:$PORT/health" 2>/dev/null && break
        kill -0 "$TRAIN_PID" 2>/dev/null || { echo "!! the connector exited:"; tail -30 "$WORK/cds.log"; exit 1; }
        sleep 0.1
    done
    sleep 1  # the timers that run at start (the access check) load their classes too
    curl -s -o /dev/null "http://127.0.0.1:$PORT/metrics" || true
    kill -TERM "$TRAIN_PID"; wait "$TRAIN_PID" || true
    TRAIN_PID=""
    [[ -f "$APP/app.jsa" ]] && JAVA_OPTS+=(-XX:SharedArchiveFile="$APP/app.jsa") \
        || echo "!! no AppCDS archive written (see $WORK/cds.log); measuring without"
fi
EXTRA_ARGS=()
if [[ "$NMT" == 1 ]]; then
    JAVA_OPTS+=(-XX:NativeMemoryTracking=summary)
    EXTRA_ARGS+=(--nmt-file "$WORK/nmt.txt")
fi
# shellcheck disable=SC2206
JAVA_OPTS+=(${MEASURED_JAVA_OPTS:-})
if [[ "$JFR" == 1 ]]; then
    JAVA_OPTS+=(-XX:StartFlightRecording=filename="$WORK/connector.jfr",settings=profile,dumponexit=true)
fi

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(java -version 2>&1 | head -1);" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== connector: store $STORE, JVM ${JAVA_OPTS[*]}, sync.concurrency $SYNC_CONCURRENCY${CONNECTOR_ENV:+, $CONNECTOR_ENV}"
"${TOOL[@]}" E2eBench --keys "$WORK/keys" --port "$PORT" --ghl-port "$GHL_PORT" --connectif-port "$CNF_PORT" \
    --n "$N" --contacts "$CONTACTS" --c "$C" --rate "$RATE" --stub-delay-ms "$STUB_DELAY_MS" \
    --flows "$FLOWS" --phases "$PHASES" --backlog "$BACKLOG" --trickle "$TRICKLE" --trickle-seconds "$TRICKLE_SECONDS" --soak-rounds "$SOAK_ROUNDS" --max-seconds 900 \
    --dir "$APP" --log "$WORK/connector.log" --pid-file "$WORK/connector.pid" --table "$WORK/table.md" "${STORE_ARGS[@]}" "${EXTRA_ARGS[@]}" \
    -- env "${CONNECTOR_ENV_ARR[@]}" java "${JAVA_OPTS[@]}" -jar ghl-connectif-sync.jar

if grep -q -E "ERROR|Exception" "$WORK/connector.log"; then
    echo "!! the connector logged errors:"; grep -E "ERROR|Exception" "$WORK/connector.log" | sort | uniq -c | sort -rn | head -10
fi

if [[ -f "$WORK/nmt.txt" ]]; then
    echo "== native memory of the connector at the end of the run (NMT=1)"
    grep -E "^(Native Memory|Total|-)" "$WORK/nmt.txt" | sed 's/^-  *//' | head -30
fi
if [[ "$JFR" == 1 && -f "$WORK/connector.jfr" ]]; then
    echo "== JFR of the connector ($WORK/connector.jfr)"
    java -cp "$CP" JfrBreakdown "$WORK/connector.jfr" || true
    KEEP=1
fi

# the default phases write between <!-- e2e:STORE:begin/end -->, others between <!-- e2e-PHASES:STORE:begin/end -->
MARK="e2e:$STORE"
[[ "$PHASES" == burst,rate ]] || MARK="e2e-${PHASES//,/-}:$STORE"
if [[ "$WRITE_README" == 1 && -f "$WORK/table.md" ]]; then
    # replaces the block between the store's markers in bench/README.md with this run's table
    {
        echo "<!-- $MARK:begin -->"
        echo "Last run, written by the script: \`$( [[ "$STORE" == postgresql ]] && echo "STORE=postgresql ")$( [[ "$PHASES" == burst,rate ]] || echo "PHASES=$PHASES ")bench/e2e.sh\`" \
            "on $(date -u +%F), commit $COMMIT;" \
            "$(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB RAM, $(java -version 2>&1 | head -1 | tr -d '"');" \
            "N=$N, CONTACTS=$CONTACTS, C=$C, RATE=$RATE, BACKLOG=$BACKLOG, TRICKLE=$TRICKLE, TRICKLE_SECONDS=$TRICKLE_SECONDS," \
            "STUB_DELAY_MS=$STUB_DELAY_MS, sync.concurrency $SYNC_CONCURRENCY;" \
            "connector JVM: \`${JAVA_OPTS[*]//$WORK/\$WORK}\`${CONNECTOR_ENV:+; $CONNECTOR_ENV}."
        echo
        cat "$WORK/table.md"
        echo "<!-- $MARK:end -->"
    } >"$WORK/block.md"
    if grep -q "<!-- $MARK:begin -->" bench/README.md; then
        awk -v block="$WORK/block.md" -v b="<!-- $MARK:begin -->" -v e="<!-- $MARK:end -->" '
            $0 == b {while ((getline line < block) > 0) print line; skip = 1; next}
            $0 == e {skip = 0; next}
            !skip {print}' bench/README.md >"$WORK/README.md"
        cp "$WORK/README.md" bench/README.md
        echo "== table written to bench/README.md"
    else
        echo "== bench/README.md has no <!-- $MARK:begin --> marker: table not written"
    fi
fi
