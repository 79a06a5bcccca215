#!/usr/bin/env bash
# How long ccp takes to start, against a hello-world `java -jar` on the same JVM in the same run.
#
#   benchmarks/cli-start.sh [--runs N]
#
# ccp runs through the Debian package's launcher (cli/src/deb/ccp: its JVM options and class-data
# archive) on the jar just built. Each round runs every command once, the baseline between them, so
# a machine that speeds up or slows down favours none; the table gives medians of N rounds (10 by
# default): wall time and its ratio to the baseline's, CPU time (user + system) and peak memory.
# Commands: ccp --version; ccp status --offline (verifying a logged-in home's pack); ccp status
# against a local server; and the SDK's own start (build a client, read the pack, verify offline).
#
# CCP_BENCH_SKIP_BUILD=1 uses the built jars. Needs curl and GNU time (/usr/bin/time).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=10
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    *) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
done

if [ -z "${CCP_BENCH_SKIP_BUILD:-}" ]; then
  "$root/mvnw" -q -B -pl cli,benchmarks,reference-server-war -am package -DskipTests >&2
fi
work="$(mktemp -d)"
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

# The baseline: the smallest program the same JVM runs from a jar.
mkdir -p "$work/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$work/hello/Hello.java"
javac -d "$work/hello" "$work/hello/Hello.java"
printf 'Main-Class: Hello\n' > "$work/hello/manifest"
jar cfm "$work/hello.jar" "$work/hello/manifest" -C "$work/hello" Hello.class

export CCP_JAR
CCP_JAR="$(ls "$root"/cli/target/ccp-cli-*-all.jar | head -n 1)"
export XDG_CACHE_HOME="$work/cache" CCP_HOME="$work/home"
ccp=("$root/cli/src/deb/ccp")
sdk=(java -cp "$root/benchmarks/target/benchmarks.jar" dev.ccp.benchmarks.SdkStart "$CCP_HOME")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$root/bin/ccp-server" --port "$port" --data "$work/server" > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 180); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  sleep 1
done
"$root/bin/ccp-login-as" bench@example.com "http://127.0.0.1:$port" "${ccp[@]}" >&2

# The launcher makes its class-data archive on the first run, in the background: wait for it, as a
# person's second ccp of the day would find it.
"${ccp[@]}" --version >/dev/null
for _ in $(seq 1 120); do
  [ -r "$XDG_CACHE_HOME/ccp/cds.jsa" ] && break
  sleep 0.5
done
[ -r "$XDG_CACHE_HOME/ccp/cds.jsa" ] || echo "cli-start: no class-data archive was made; ccp runs without one" >&2

names=(hello "ccp --version" "ccp status --offline" "ccp status (online)" "SDK start")
# One timed run of command $1, its "wall user system peak-KiB" appended to times.$1.
measure() {
  case "$1" in
    0) set -- "$1" java -jar "$work/hello.jar" ;;
    1) set -- "$1" "${ccp[@]}" --version ;;
    2) set -- "$1" "${ccp[@]}" status --offline ;;
    3) set -- "$1" "${ccp[@]}" status ;;
    4) set -- "$1" "${sdk[@]}" ;;
  esac
  local which="$1"; shift
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$work/t" >> "$work/times.$which"
}
for i in 0 1 2 3 4; do measure "$i"; done   # warm the file system cache
rm -f "$work"/times.*
for r in $(seq 1 "$runs"); do
  for i in 1 2 3 4; do
    measure 0
    measure "$i"
  done
done

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
base=$(awk '{ print $1 * 1000 }' "$work/times.0" | median)
printf '%-24s %10s %8s %10s %10s\n' command "wall (ms)" ratio "CPU (ms)" "peak (MB)"
for i in 0 1 2 3 4; do
  wall=$(awk '{ print $1 * 1000 }' "$work/times.$i" | median)
  cpu=$(awk '{ print ($2 + $3) * 1000 }' "$work/times.$i" | median)
  peak=$(awk '{ print $4 / 1024 }' "$work/times.$i" | median)
  printf '%-24s %10.0f %7.1fx %10.0f %10.0f\n' "${names[$i]}" "$wall" "$(awk -v a="$wall" -v b="$base" 'BEGIN { print a / b }')" "$cpu" "$peak"
done
echo "($runs rounds; $(java -version 2>&1 | head -n 1); $(nproc) cores)"
