#!/usr/bin/env bash
# What an idle connector costs: its CPU and how often its threads wake while no event arrives. See bench/README.md.
#
#   bench/idle.sh                          # this checkout's build, a fresh embedded H2 store
#   SOURCE_DIR=../other bench/idle.sh      # another build (a worktree of another commit), to compare
#
# Environment (all optional):
#   WARM               seconds between the first answer of /health and the measurement (default 30)
#   SECONDS_MEASURED   length of the measurement (default 60)
#   CONNECTOR_JAVA_OPTS JVM options of the connector (default: the launcher options of docs/operations.md)
#   SOURCE_DIR=DIR     measure the connector built in DIR (its target/, routes/, application.properties)
#
# GHL and Connectif point at a closed loopback port: the access check fails once a minute, as it would with the
# services down, and nothing else reaches out. Prints bench/threads.sh's table over the measurement.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
WARM=${WARM:-30}
SECONDS_MEASURED=${SECONDS_MEASURED:-60}
CONNECTOR_JAVA_OPTS=${CONNECTOR_JAVA_OPTS:-$DOCUMENTED_JAVA_OPTS}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ghl-idle-bench.XXXXXX")
PID=""
trap 'stop "$PID" connector; rm -rf "$WORK"' EXIT

SOURCE=${SOURCE_DIR:-$ROOT}
build_if_missing "$SOURCE"
APP="$WORK/app"
copy_connector "$SOURCE" "$APP"
compile_bench "$WORK/classes" "$APP"
TOOL=(java -Xmx256m -cp "$WORK/classes:$APP/lib/*")
"${TOOL[@]}" WebhookLoad keygen "$WORK/keys"
PORT=$("${TOOL[@]}" WebhookLoad freeport)
echo "== connector: $SOURCE/target/ghl-connectif-sync.jar, commit $(git -C "$SOURCE" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "== JVM $CONNECTOR_JAVA_OPTS; load average $(cut -d' ' -f1-3 /proc/loadavg)"

offline_env "$WORK/keys" "$PORT"
# shellcheck disable=SC2086
(cd "$APP" && exec env "${OFFLINE_ENV[@]}" STORE_URL="jdbc:h2:file:$WORK/store" \
    java $CONNECTOR_JAVA_OPTS -jar ghl-connectif-sync.jar) >"$WORK/connector.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/health" && break
    kill -0 "$PID" 2>/dev/null || { echo "!! the connector exited:"; tail -30 "$WORK/connector.log"; exit 1; }
    sleep 0.1
done
echo "== connector up (pid $PID); measuring after $WARM s of rest, over $SECONDS_MEASURED s"
sleep "$WARM"
bench/threads.sh "$PID" "$SECONDS_MEASURED"
