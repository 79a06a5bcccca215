#!/usr/bin/env bash
# Server load run: starts the reference server on a fresh PostgreSQL database, runs one load
# against it and stops the server.
#
#   benchmarks/run-server-load.sh [--batches N] [--rounds N] [--load-rows N] [--threads N]
#       ingest throughput and the 7-day health query, against raw JDBC and the no-op endpoint
#   benchmarks/run-server-load.sh policy [--subscribers N] [--rounds N]
#       publish-to-arrival across N long-polling subscribers, and a 304 against the no-op endpoint
#   benchmarks/run-server-load.sh runs [--decisions N]
#       decision-to-waiting-tool over N decisions, against a bare round trip of the events endpoint
#
# CCP_BENCH_SKIP_BUILD=1 uses the built WAR; CCP_BENCH_SERVER_OPTS adds JVM options to the server
# (for example -XX:StartFlightRecording=filename=ingest.jfr).
#
# Needs PostgreSQL on 127.0.0.1:5432 with trust auth (as CI has). Figures go to stdout; see
# docs/benchmarks.md for the recorded ones.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
port="${CCP_BENCH_PORT:-18080}"
db=ccp_bench
main=dev.ccp.benchmarks.IngestAndHealthLoad
if [ "${1:-}" = policy ]; then
  main=dev.ccp.benchmarks.PolicyLoad
  shift
elif [ "${1:-}" = runs ]; then
  main=dev.ccp.benchmarks.RunDecisionLoad
  shift
fi

if [ -z "${CCP_BENCH_SKIP_BUILD:-}" ]; then
  "$root/mvnw" -q -B -pl reference-server-war,benchmarks -am package -DskipTests >&2
fi
psql -h 127.0.0.1 -U postgres -d test -qc "drop database if exists $db" -c "create database $db"

data="$(mktemp -d)"
CCP_DATA="$data" CCP_DB_URL="jdbc:postgresql://127.0.0.1:5432/$db" CCP_DB_USER=postgres \
  CCP_OPERATOR_TOKEN=bench-operator-token CCP_INGEST_PER_MINUTE=1000000 CCP_RUNS_PER_MINUTE=100000 CCP_STAND_IN_LOGIN=on \
  java -Xmx1g ${CCP_BENCH_SERVER_OPTS:-} -jar "$root/reference-server-war/target/payara-micro.jar" --nocluster --nohostaware \
  --deploy "$root/reference-server-war/target/ccp.war" --contextroot / --port "$port" > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break; sleep 1; done
curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null || { tail -50 "$data/server.log" >&2; exit 1; }

java -cp "$root/benchmarks/target/benchmarks.jar" "$main" \
  --server "http://127.0.0.1:$port/" --db-url "jdbc:postgresql://127.0.0.1:5432/$db" --db-user postgres \
  --operator-token bench-operator-token "$@"
