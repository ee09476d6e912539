#!/usr/bin/env bash
# Where a running connector's CPU goes, by thread: user and system CPU of each group of threads (same name but for
# the number) over an interval, read from /proc/PID/task/*/stat, and how often they woke (voluntary context switches,
# from /proc/PID/task/*/status). Used for the trickle and idle figures of bench/README.md:
#
#   bench/threads.sh PID 40      # e.g. while bench/e2e.sh runs a trickle phase (its work directory has connector.pid)
set -euo pipefail
pid=${1:?usage: bench/threads.sh PID SECONDS}
seconds=${2:-30}
snapshot() {
    for task in /proc/"$pid"/task/*; do
        stat=$(cat "$task/stat" 2>/dev/null) || continue
        name=$(sed 's/[0-9 #-]*$//; s/ /_/g' "$task/comm" 2>/dev/null) || continue
        wakeups=$(awk '/^voluntary_ctxt_switches/ {print $2}' "$task/status" 2>/dev/null) || continue
        read -r -a fields <<<"${stat##*) }"
        echo "${task##*/} $name ${fields[11]} ${fields[12]} ${wakeups:-0}"   # utime and stime in clock ticks, wake-ups
    done | sort
}
before=$(mktemp); after=$(mktemp)
trap 'rm -f "$before" "$after"' EXIT
snapshot >"$before"; sleep "$seconds"; snapshot >"$after"
printf "%-28s %7s %9s %9s %11s\n" "threads" "count" "user ms" "system ms" "wake-ups/s"
join "$before" "$after" | awk -v hz="$(getconf CLK_TCK)" -v s="$seconds" '
    {u[$2] += ($7 - $3) * 1000 / hz; k[$2] += ($8 - $4) * 1000 / hz; w[$2] += ($9 - $5) / s; n[$2]++}
    END {
        for (t in u) {
            if (u[t] + k[t] > 0 || w[t] >= 0.05) printf "%-28s %7d %9.0f %9.0f %11.1f\n", t, n[t], u[t], k[t], w[t]
            U += u[t]; K += k[t]; W += w[t]
        }
        printf "%-28s %7s %9.0f %9.0f %11.1f\n", "(all)", "", U, K, W
    }' | sort -k3 -nr
echo "over $seconds s"
