#!/usr/bin/env bash
# Ready time: how long the reference server takes from start to ready on a fresh data folder, against
# a hello-world WAR (benchmarks/hello-war: one JAX-RS resource on CDI) on the same Payara Micro.
#
#   benchmarks/ready-time.sh [--runs N] [--port N] [--logs DIR] [--war FILE]
#       N rounds (default 10); each starts the hello WAR, then the server's WAR on an empty CCP_DATA
#       (embedded H2), one at a time. --logs keeps each start's server log in DIR; --war times that
#       build of the server instead of reference-server-war/target/ccp.war.
#
# A start is timed from the spawn of the JVM to the first 200 answer, asked for every 20 ms: GET
# /hello for the hello WAR, GET /health/ready naming the database check for the server. Both run
# with the same JVM options and Payara Micro flags (those of bin/ccp-server). Prints the median, min
# and max of each in milliseconds and the ratio of the medians; the median processor time each had
# used when it answered, and what the rest of the machine used meanwhile; and the median of the
# rounds' own ratios, which holds better where the machine's speed drifts during a run (a start
# keeps two cores busy, so it slows with anything else the host runs).
#
# CCP_BENCH_SKIP_BUILD=1 uses the built WARs; CCP_BENCH_SERVER_OPTS adds JVM options to both (for
# example -Xlog:class+load:file=classes-%p.log). Needs only a JDK and bash.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=10
port="${CCP_BENCH_PORT:-18080}"
logs=
war=

usage() {
  sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="${2:?--runs needs a number}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --logs) logs="${2:?--logs needs a folder}"; shift 2 ;;
    --war) war="${2:?--war needs a file}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "ready-time: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
case "$runs" in ''|*[!0-9]*|0) echo "ready-time: --runs must be a positive number, was '$runs'" >&2; exit 2 ;; esac
case "$port" in ''|*[!0-9]*) echo "ready-time: --port must be a number, was '$port'" >&2; exit 2 ;; esac

target="$root/reference-server-war/target"
micro="$target/payara-micro.jar"
ccp_war="${war:-$target/ccp.war}"
hello_war="$root/benchmarks/hello-war/target/hello.war"
if [ -z "${CCP_BENCH_SKIP_BUILD:-}" ]; then
  "$root/mvnw" -q -B -pl reference-server-war -am package -DskipTests >&2
  "$root/mvnw" -q -B -f "$root/benchmarks/hello-war/pom.xml" package >&2
fi
for file in "$micro" "$ccp_war" "$hello_war"; do
  [ -f "$file" ] || { echo "ready-time: $file is missing; run without CCP_BENCH_SKIP_BUILD" >&2; exit 1; }
done
if [ -n "$logs" ]; then
  mkdir -p "$logs"
fi

work="$(mktemp -d)"
server=
stop_server() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

# Microseconds since the epoch, without starting a process.
now_micros() {
  local t="$EPOCHREALTIME"
  micros="${t/./}"
}

# The polls start no process: on a small virtual machine a curl per poll costs tens of milliseconds
# of processor time, so fifty a second would take much of a core from the server being timed. A
# request goes over bash's /dev/tcp, and the pause between polls is a read that times out on a pipe
# nobody writes to.
mkfifo "$work/never"
exec {never}<>"$work/never"
pause() {
  read -r -t 0.02 -u "$never" _ || true
}

# answers <path> <text>: whether GET <path> answers 200 with a body containing <text>.
answers() {
  local conn response=
  { exec {conn}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&"$conn"
  IFS= read -r -d '' -t 5 -u "$conn" response || true
  exec {conn}>&-
  [[ "$response" == "HTTP/1."?" 200 "* && "$response" == *"$2"* ]]
}

# start <name> <round> <war> <path> <body-must-contain> [VAR=value…]: sets ms to the milliseconds from
# spawn to ready, cpu to the processor time the server had used by then and elsewhere to what the
# rest of the machine used meanwhile (this script's polls included), then stops the server.
ms=
cpu=
elsewhere=
start() {
  local name="$1" round="$2" war="$3" path="$4" expect="$5"
  shift 5
  local log="$work/$name-$round.log" began micros busy busy_before
  busy_millis
  busy_before="$busy"
  now_micros
  began="$micros"
  env -u CCP_DB_URL -u CCP_DB_USER -u CCP_DB_PASSWORD -u CCP_KEYS_DIR "$@" \
    java -Xmx1g ${CCP_BENCH_SERVER_OPTS:-} -jar "$micro" --nocluster --nohostaware \
    --prebootcommandfile "$root/reference-server-war/src/main/payara/pre-boot.asadmin" \
    --deploy "$war" --contextroot / --port "$port" > "$log" 2>&1 &
  server=$!
  until answers "$path" "$expect"; do
    now_micros
    if ! kill -0 "$server" 2>/dev/null || [ $(( micros - began )) -gt 300000000 ]; then
      echo "ready-time: $name did not get ready; its log ends:" >&2
      tail -40 "$log" >&2
      exit 1
    fi
    pause
  done
  now_micros
  ms=$(( (micros - began) / 1000 ))
  cpu_millis "$server"
  busy_millis
  elsewhere=$(( busy - busy_before - cpu ))
  stop_server
  if [ -n "$logs" ]; then
    cp "$log" "$logs/"
  fi
}

# busy_millis: sets busy to the processor time the whole machine has spent since boot, from /proc/stat.
busy_millis() {
  local label user nice system idle iowait irq softirq
  busy=0
  if read -r label user nice system idle iowait irq softirq _ 2>/dev/null < /proc/stat; then
    busy=$(( (user + nice + system + irq + softirq) * 1000 / ticks ))
  fi
}

# cpu_millis <pid>: sets cpu to the user and system time of the process in milliseconds (fields 14
# and 15 of /proc/<pid>/stat); 0 where there is no /proc.
cpu_millis() {
  local line stat
  cpu=0
  if read -r line 2>/dev/null < "/proc/$1/stat"; then
    read -r -a stat <<< "${line##*) }"
    cpu=$(( (stat[11] + stat[12]) * 1000 / ticks ))
  fi
}
ticks="$(getconf CLK_TCK)"

# stats <file of numbers>: median min max
stats() {
  sort -n "$1" | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%d %d %d\n", m, v[1], v[NR] }'
}

: > "$work/hello.ms"
: > "$work/ccp.ms"
: > "$work/hello.cpu"
: > "$work/ccp.cpu"
: > "$work/hello.elsewhere"
: > "$work/ccp.elsewhere"
: > "$work/ratio.permille"
for round in $(seq 1 "$runs"); do
  start hello "$round" "$hello_war" /hello hello
  hello_ms="$ms"
  hello_cpu="$cpu"
  hello_elsewhere="$elsewhere"
  data="$(mktemp -d)"
  start ccp "$round" "$ccp_war" /health/ready '"database"' CCP_DATA="$data"
  rm -rf "$data"
  echo "$hello_ms" >> "$work/hello.ms"
  echo "$ms" >> "$work/ccp.ms"
  echo "$hello_cpu" >> "$work/hello.cpu"
  echo "$cpu" >> "$work/ccp.cpu"
  echo "$hello_elsewhere" >> "$work/hello.elsewhere"
  echo "$elsewhere" >> "$work/ccp.elsewhere"
  echo $(( ms * 1000 / hello_ms )) >> "$work/ratio.permille"
  echo "round $round: hello $hello_ms ms (cpu $hello_cpu, elsewhere $hello_elsewhere)," \
    "ccp $ms ms (cpu $cpu, elsewhere $elsewhere)" >&2
done

read -r hello_median hello_min hello_max < <(stats "$work/hello.ms")
read -r ccp_median ccp_min ccp_max < <(stats "$work/ccp.ms")
read -r hello_cpu _ < <(stats "$work/hello.cpu")
read -r ccp_cpu _ < <(stats "$work/ccp.cpu")
read -r hello_elsewhere _ < <(stats "$work/hello.elsewhere")
read -r ccp_elsewhere _ < <(stats "$work/ccp.elsewhere")
printf '%-6s %8s %8s %8s %10s %10s\n' ms median min max cpu elsewhere
printf '%-6s %8d %8d %8d %10d %10d\n' hello "$hello_median" "$hello_min" "$hello_max" "$hello_cpu" "$hello_elsewhere"
printf '%-6s %8d %8d %8d %10d %10d\n' ccp "$ccp_median" "$ccp_min" "$ccp_max" "$ccp_cpu" "$ccp_elsewhere"
read -r ratio_median ratio_min ratio_max < <(stats "$work/ratio.permille")
awk -v c="$ccp_median" -v h="$hello_median" -v n="$runs" \
  'BEGIN { printf "ratio of medians (ccp / hello): %.2f over %d rounds\n", c / h, n }'
awk -v m="$ratio_median" -v lo="$ratio_min" -v hi="$ratio_max" \
  'BEGIN { printf "ratio per round (ccp / hello): median %.2f, min %.2f, max %.2f\n", m / 1000, lo / 1000, hi / 1000 }'
