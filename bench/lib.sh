# Shell functions the benchmark scripts share; sourced, not run.

# the launcher options of docs/operations.md, the connector's JVM options unless CONNECTOR_JAVA_OPTS says otherwise
DOCUMENTED_JAVA_OPTS="-Xmx112m -Xss512k -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:-UsePerfData"

stop() { # pid name: TERM, wait up to 60 s, then KILL
    local pid=$1 name=$2
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 600); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    echo "!! $name did not stop within 60 s: killed"
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

build_if_missing() { # source: builds the connector in source unless its target/ holds the jar and lib/
    local source=$1
    if [[ ! -f "$source/target/ghl-connectif-sync.jar" || ! -d "$source/target/lib" ]]; then
        echo "== building $source/target/ghl-connectif-sync.jar"
        (cd "$source" && mvn -B -q package -DskipTests)
    fi
}

copy_connector() { # source app: the built connector of source (jar, lib/, routes/, properties, mapping) into app
    local source=$1 app=$2
    mkdir -p "$app"
    cp "$source/target/ghl-connectif-sync.jar" "$app/"
    cp -r "$source/target/lib" "$app/lib"
    for f in routes application.properties mapping.yaml; do
        [[ -e "$source/$f" ]] && cp -r "$source/$f" "$app/"
    done
    unzip -tqq "$app/ghl-connectif-sync.jar" || { echo "!! the jar is incomplete (being rebuilt?): try again"; exit 1; }
}

compile_bench() { # classes app: bench/src compiled into classes, against the connector and its libraries in app
    javac -nowarn -d "$1" -cp "$2/ghl-connectif-sync.jar:$2/lib/*" bench/src/*.java 2>&1 | grep -v -E "warning|^Note:" || true
}

apply_experiment() { # name app: bench/experiments/name/*.java compiled against app and put into its jar, in place of the
    # connector's classes of the same names (the copy in app only: the checkout's build stays as it is)
    local name=$1 app=$2
    [[ -d "bench/experiments/$name" ]] || { echo "!! no experiment bench/experiments/$name"; exit 1; }
    mkdir -p "$app/experiment"
    javac -nowarn -d "$app/experiment" -cp "$app/ghl-connectif-sync.jar:$app/lib/*" bench/experiments/"$name"/*.java
    jar uf "$app/ghl-connectif-sync.jar" -C "$app/experiment" .
    echo "== experiment $name: bench/experiments/$name/*.java in place of the connector's classes of the same names"
}

offline_env() { # keys port: the connector's settings in OFFLINE_ENV, GHL and Connectif at a closed loopback port
    # shellcheck disable=SC2034
    OFFLINE_ENV=(GHL_AUTH_MODE=private-token GHL_PRIVATE_TOKEN=bench GHL_LOCATION_ID=benchLocation0000001
        CONNECTIF_API_KEY=benchKeyId:benchKeySecret GHL_WEBHOOK_PUBLIC_KEY="$(cat "$1/public.b64")"
        GHL_BASE_URL=http://127.0.0.1:9 CONNECTIF_BASE_URL=http://127.0.0.1:9 CAMEL_SERVER_PORT="$2" LOG_LEVEL=WARN
        "SYNC_RECONCILE_CRON=0 0 0 1 1 ? 2099")
}
