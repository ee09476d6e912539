#!/usr/bin/env bash
# How long the connector takes to start: launch to the first answer of GET /health, and the CPU it used to get there,
# over alternating starts of one or more builds. See bench/README.md.
#
#   bench/start.sh                            # this checkout's build
#   SOURCES="../before ." bench/start.sh      # two builds (worktrees or copies of their target/), alternating
#
# Environment (all optional):
#   SOURCES            directories of the builds to compare, space separated (default: this checkout)
#   ROUNDS             starts of each build (default 10); each round starts every build once, in turn
#   STORE              fresh (default: a new H2 store each start, so Flyway migrates) or restart (one store per build,
#                      opened again each start)
#   CONNECTOR_JAVA_OPTS JVM options of the connector (default: the launcher options of docs/operations.md)
#   CDS=0              no AppCDS archive (default 1: one start and stop of each build writes its archive first)
#
# GHL and Connectif point at a closed loopback port, as in bench/idle.sh: the start does not wait for them. The first
# round is not counted (the files it reads are then in the page cache for every build alike).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
source bench/lib.sh
SOURCES=${SOURCES:-$ROOT}
ROUNDS=${ROUNDS:-10}
STORE=${STORE:-fresh}
CDS=${CDS:-1}
CONNECTOR_JAVA_OPTS=${CONNECTOR_JAVA_OPTS:-$DOCUMENTED_JAVA_OPTS}
[[ "$STORE" == fresh || "$STORE" == restart ]] || { echo "STORE must be fresh or restart"; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/ghl-start-bench.XXXXXX")
PID=""
trap 'stop "$PID" connector; rm -rf "$WORK"' EXIT
HZ=$(getconf CLK_TCK)

read -r -a BUILDS <<<"$SOURCES"
compiled=0
for i in "${!BUILDS[@]}"; do
    source_dir=$(cd "${BUILDS[$i]}" && pwd)
    build_if_missing "$source_dir"
    copy_connector "$source_dir" "$WORK/app$i"
    if [[ $compiled == 0 ]]; then
        compile_bench "$WORK/classes" "$WORK/app$i"
        java -Xmx256m -cp "$WORK/classes:$WORK/app$i/lib/*" WebhookLoad keygen "$WORK/keys"
        PORT=$(java -Xmx256m -cp "$WORK/classes:$WORK/app$i/lib/*" WebhookLoad freeport)
        compiled=1
    fi
    echo "== build $i: $source_dir, commit $(git -C "$source_dir" rev-parse --short HEAD 2>/dev/null || echo '?')"
done
offline_env "$WORK/keys" "$PORT"
echo "== JVM $CONNECTOR_JAVA_OPTS$([[ $CDS == 1 ]] && echo ' + its AppCDS archive'); store $STORE; $ROUNDS rounds;" \
    "load average $(cut -d' ' -f1-3 /proc/loadavg)"

launch() { # app store [extra JVM options...]: starts the connector in the background, its pid in PID
    local app=$1 store=$2
    shift 2
    # shellcheck disable=SC2086
    (cd "$app" && exec env "${OFFLINE_ENV[@]}" STORE_URL="jdbc:h2:file:$store" \
        java $CONNECTOR_JAVA_OPTS "$@" -jar ghl-connectif-sync.jar) >"$app/connector.log" 2>&1 &
    PID=$!
}

await_health() { # prints "ms cpu_ms" at the first answer of /health
    local start=$1
    while ! curl -s -o /dev/null "http://127.0.0.1:$PORT/health"; do
        kill -0 "$PID" 2>/dev/null || { echo "!! the connector exited:" >&2; tail -30 "$app/connector.log" >&2; exit 1; }
        sleep 0.01
    done
    local now ticks
    now=$(date +%s%N)
    ticks=$(awk '{print $14 + $15}' "/proc/$PID/stat")
    echo "$(( (now - start) / 1000000 )) $(( ticks * 1000 / HZ ))"
}

for i in "${!BUILDS[@]}"; do
    app="$WORK/app$i"
    if [[ $CDS == 1 ]]; then
        launch "$app" "$WORK/cds-store$i" -XX:ArchiveClassesAtExit="$app/app.jsa"
        await_health "$(date +%s%N)" >/dev/null
        stop "$PID" connector
        PID=""
    fi
done

for round in $(seq 0 "$ROUNDS"); do
    for i in "${!BUILDS[@]}"; do
        app="$WORK/app$i"
        store="$WORK/store$i"
        [[ "$STORE" == fresh ]] && rm -rf "$WORK"/store"$i"*
        options=()
        [[ $CDS == 1 ]] && options+=(-XX:SharedArchiveFile="$app/app.jsa")
        start=$(date +%s%N)
        launch "$app" "$store" "${options[@]}"
        result=$(await_health "$start")
        stop "$PID" connector
        PID=""
        [[ $round == 0 ]] || echo "$i $result" >>"$WORK/results"
    done
done

echo "| build | ready: mean (ms) | median | min to max | CPU to ready: mean (ms) |"
echo "|---|---|---|---|---|"
for i in "${!BUILDS[@]}"; do
    awk -v b="$i" '$1 == b { print $2, $3 }' "$WORK/results" | sort -n | awk -v b="$i" -v name="${BUILDS[$i]}" '
        { ms[NR] = $1; cpu += $2; sum += $1 }
        END { med = NR % 2 ? ms[(NR + 1) / 2] : (ms[NR / 2] + ms[NR / 2 + 1]) / 2
              printf "| %s (%s) | %d | %d | %d to %d | %d |\n", b, name, sum / NR, med, ms[1], ms[NR], cpu / NR }'
done
echo "each start, in order (build ready_ms cpu_ms):"
tr '\n' ';' <"$WORK/results" | sed 's/;/; /g'
echo
