#!/usr/bin/env bash
# Server load run: starts the reference server (one node, or several on one database) on a fresh
# PostgreSQL database, runs one load against it and stops the server.
#
#   benchmarks/run-server-load.sh [--nodes N] [--batches N] [--rounds N] [--warmup N] [--load-rows N] [--threads N]
#       ingest throughput against raw JDBC, then the 7-day health query against the no-op endpoint
#       (--load-rows 0 skips the health query); the client threads take the nodes in turn; --warmup
#       unmeasured batches per node each way first (6000)
#   benchmarks/run-server-load.sh ingest-nodes [--batches N] [--rounds N] [--threads N]
#       ingest alone with 1, 2 and 3 nodes, each on a fresh database (6 client threads unless told),
#       and a table of the three
#   benchmarks/run-server-load.sh policy [--nodes N] [--subscribers N] [--rounds N] [--warmup N]
#       publish-to-arrival across N long-polling subscribers spread over the nodes (publishing on the
#       first), after --warmup unmeasured publishes (20), and a 304 against the no-op endpoint
#   benchmarks/run-server-load.sh status [--rounds N] [--seconds N]
#       GET /v1/license/status against the no-op GET /v1/ping at 1, 8 and 32 connections (needs wrk)
#   benchmarks/run-server-load.sh runs [--decisions N]
#       decision-to-waiting-tool over N decisions, against a bare round trip of the events endpoint
#
# --nodes N (1 to 3) starts N Payara Micro nodes on consecutive ports from CCP_BENCH_PORT (18080),
# sharing the database and one data folder (so one keys folder), as docs/server-operations.md says
# several nodes must; the driver gets every node's address. Each node has -Xmx1g alone and -Xmx512m
# among several, or CCP_BENCH_HEAP.
#
# CCP_BENCH_SKIP_BUILD=1 uses the built WAR; CCP_BENCH_SERVER_OPTS adds JVM options to every node
# (for example -XX:StartFlightRecording=filename=ingest.jfr).
#
# Needs PostgreSQL on 127.0.0.1:5432 with trust auth (as CI has). Figures go to stdout; see
# docs/benchmarks.md for the recorded ones.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${CCP_BENCH_PORT:-18080}"
db=ccp_bench
main=dev.ccp.benchmarks.IngestAndHealthLoad
case "${1:-}" in
  policy) main=dev.ccp.benchmarks.PolicyLoad; shift ;;
  runs) main=dev.ccp.benchmarks.RunDecisionLoad; shift ;;
  status) main=dev.ccp.benchmarks.StatusLoad; shift ;;
  ingest-nodes) main=; shift ;;
esac

if [ -z "${CCP_BENCH_SKIP_BUILD:-}" ]; then
  "$root/mvnw" -q -B -pl reference-server-war,benchmarks -am package -DskipTests >&2
fi

if [ -z "$main" ]; then
  # The same client threads, rows and heap for every node count: only the nodes change.
  out="$(mktemp)"
  rows="$(mktemp)"
  trap 'rm -f "$out" "$rows"' EXIT
  for n in 1 2 3; do
    echo "== $n node(s)"
    CCP_BENCH_SKIP_BUILD=1 CCP_BENCH_HEAP="${CCP_BENCH_HEAP:-512m}" "${BASH_SOURCE[0]}" --nodes "$n" --threads 6 --load-rows 0 "$@" \
      | tee "$out"
    # "  median of rounds : HTTP 31,000 rows/s, raw JDBC 50,000 rows/s, 0.62 of raw"
    sed -n "s/^  median of rounds *: HTTP \([0-9,]*\) rows\/s, raw JDBC \([0-9,]*\) rows\/s, \([0-9.]*\) of raw$/| $n | \1 | \2 | \3 |/p" \
      "$out" >> "$rows"
  done
  echo
  echo "ingest, median of the rounds at each node count"
  echo "| nodes | HTTP /v1/ingest/rollups rows/s | raw JDBC rows/s (same run) | ratio to raw |"
  echo "|---|---|---|---|"
  cat "$rows"
  exit 0
fi

nodes=1
args=()
while [ $# -gt 0 ]; do
  if [ "$1" = --nodes ] && [ $# -ge 2 ]; then
    nodes="$2"
    shift 2
  else
    args+=("$1")
    shift
  fi
done
case "$nodes" in 1|2|3) ;; *) echo "run-server-load: --nodes takes 1, 2 or 3, was '$nodes'" >&2; exit 2 ;; esac
if [ "$nodes" -gt 1 ] && [ "$main" = dev.ccp.benchmarks.RunDecisionLoad ]; then
  echo "run-server-load: the runs load measures one node only" >&2
  exit 2
fi
heap="${CCP_BENCH_HEAP:-$([ "$nodes" = 1 ] && echo 1g || echo 512m)}"

psql -h 127.0.0.1 -U postgres -d test -qc "drop database if exists $db" -c "create database $db"

data="$(mktemp -d)"
pids=()
servers=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done; rm -rf "$data"' EXIT
for i in $(seq 1 "$nodes"); do
  node_port=$((port + i - 1))
  # Whatever answers there already would pass for this node below.
  if curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$node_port/"; then
    echo "run-server-load: port $node_port is taken; set CCP_BENCH_PORT to a free range" >&2
    exit 1
  fi
  CCP_DATA="$data" CCP_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" CCP_DB_USER=postgres \
    CCP_OPERATOR_TOKEN=bench-operator-token CCP_INGEST_PER_MINUTE=1000000 CCP_RUNS_PER_MINUTE=100000 CCP_STAND_IN_LOGIN=on \
    java -Xmx"$heap" ${CCP_BENCH_SERVER_OPTS:-} -jar "$root/reference-server-war/target/payara-micro.jar" --nocluster --nohostaware \
    --prebootcommandfile "$root/reference-server-war/src/main/payara/pre-boot.asadmin" \
    --deploy "$root/reference-server-war/target/ccp.war" --contextroot / --port "$node_port" > "$data/server-$i.log" 2>&1 &
  pids+=($!)
  servers+=("http://127.0.0.1:$node_port/")
done
# Nodes that start together migrate the database one after the other and make one key ring.
for i in $(seq 1 "$nodes"); do
  ready="${servers[$((i - 1))]}health/ready"
  for _ in $(seq 1 240); do
    curl -sf "$ready" >/dev/null && break
    kill -0 "${pids[$((i - 1))]}" 2>/dev/null || break
    sleep 1
  done
  curl -sf "$ready" >/dev/null || { echo "node $i did not become ready:" >&2; tail -50 "$data/server-$i.log" >&2; exit 1; }
done

java -cp "$root/benchmarks/target/benchmarks.jar" "$main" \
  --server "$(IFS=,; echo "${servers[*]}")" --db-url "jdbc:postgresql://127.0.0.1:5432/$db" --db-user postgres \
  --operator-token bench-operator-token ${args[@]+"${args[@]}"}
