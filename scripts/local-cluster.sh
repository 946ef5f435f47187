#!/usr/bin/env bash
# A local Redis Cluster for the test suites: three masters and three replicas of redis-server
# on loopback ports, no persistence.
#
#   scripts/local-cluster.sh start [first-port]   # prints the seed URLs, comma-separated
#   scripts/local-cluster.sh stop  [first-port]
#
# Then, for example:
#   WT_REDIS_CLUSTER_URLS=$(scripts/local-cluster.sh start) cargo test -p write_through_tests --test protocol
set -euo pipefail
command=${1:-}
first=${2:-17101}
ports=$(seq "$first" $((first + 5)))
dir=${TMPDIR:-/tmp}/write_through-cluster-$first

case "$command" in
  start)
    mkdir -p "$dir"
    for port in $ports; do
      mkdir -p "$dir/$port"
      (cd "$dir/$port" && redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
        --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 1000 \
        --cluster-replica-validity-factor 0 --daemonize yes --logfile "$dir/$port/log")
    done
    for port in $ports; do
      for _ in $(seq 1 100); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.05; done
    done
    addresses=$(for port in $ports; do printf '127.0.0.1:%s ' "$port"; done)
    # shellcheck disable=SC2086
    redis-cli --cluster create $addresses --cluster-replicas 1 --cluster-yes >"$dir/create.log" 2>&1
    for port in $ports; do
      for _ in $(seq 1 200); do
        redis-cli -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
        sleep 0.05
      done
    done
    for port in $ports; do printf 'redis://127.0.0.1:%s\n' "$port"; done | paste -sd, -
    ;;
  stop)
    for port in $ports; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop [first-port]" >&2
    exit 2
    ;;
esac
