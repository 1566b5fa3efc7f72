#!/usr/bin/env bash
# A two-node Ray cluster on 127.0.0.1 (a head and a worker, one CPU each), one `pairgen build`
# through --ray-address, the same build with the local engine, and a byte comparison; then the
# two nodes are stopped.
#
#   benchmarks/ray_cluster_demo.sh [CORPUS] [N]          (defaults: corpus 2000)
#
# The nodes run with `ray start --block` in the background and are stopped by their process ids,
# so Ray processes that were already running on this machine are left alone (`ray stop` would end
# them all). Token authentication (Ray >= 2.52) is switched on with a throw-away token that the
# nodes and the driver share through RAY_AUTH_TOKEN.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
CORPUS=${1:-$REPO/corpus}
N=${2:-2000}
PYTHON=${PYTHON:-python}
RAY=${RAY:-$(dirname "$(command -v "$PYTHON")")/ray}
WORK=$(mktemp -d)
PORT=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ADDRESS=127.0.0.1:$PORT

export PYTHONPATH=$REPO${PYTHONPATH:+:$PYTHONPATH}
export RAY_AUTH_MODE=token
RAY_AUTH_TOKEN=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(32))')
export RAY_AUTH_TOKEN
export RAY_GRACEFUL_SHUTDOWN_DRAIN_TIMEOUT_S=5
unset RAY_ADDRESS

HEAD=
WORKER=
stop_nodes() {
  for pid in $WORKER $HEAD; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in $WORKER $HEAD; do wait "$pid" 2>/dev/null || true; done
  # `ray stop` would also forget the cluster; do that for ours only
  if grep -qs ":$PORT\$" /tmp/ray/ray_current_cluster; then rm -f /tmp/ray/ray_current_cluster; fi
  rm -rf "$WORK"
  echo "== nodes stopped"
}
trap stop_nodes EXIT

wait_for_nodes() {  # wait_for_nodes COUNT
  for _ in $(seq 120); do
    if [ "$("$RAY" status --address "$ADDRESS" 2>/dev/null | grep -c ' node_')" -ge "$1" ]; then
      return 0
    fi
    sleep 1
  done
  echo "the cluster at $ADDRESS did not reach $1 node(s); see $WORK/*.log" >&2
  return 1
}

echo "== ray $("$RAY" --version | awk '{print $NF}'): head on $ADDRESS"
"$RAY" start --head --port="$PORT" --num-cpus=1 --include-dashboard=false \
  --disable-usage-stats --block >"$WORK/head.log" 2>&1 &
HEAD=$!
wait_for_nodes 1
echo "== worker node joins $ADDRESS"
"$RAY" start --address="$ADDRESS" --num-cpus=1 --disable-usage-stats --block \
  >"$WORK/worker.log" 2>&1 &
WORKER=$!
wait_for_nodes 2
"$RAY" status --address "$ADDRESS" | sed -n '/^Active:/,/^Pending:/p'

echo "== pairgen build --engine ray --ray-address $ADDRESS"
TIMEFORMAT="   %R s wall, including connecting to the cluster"
time "$PYTHON" -m pairgen build "$CORPUS" -o "$WORK/ray" -n "$N" --engine ray --ray-address "$ADDRESS"

echo "== which nodes run tasks (8 tasks of 0.5 s)"
"$PYTHON" - "$ADDRESS" <<'EOF'
import sys

import ray

from pairgen.pairing.engine_ray import RayEngine


def node(_):
    import time

    time.sleep(0.5)
    return ray.get_runtime_context().get_node_id()[:12]


print("   nodes:", sorted(set(RayEngine(address=sys.argv[1]).map(node, range(8), {}))))
EOF

echo "== the same build with the local engine"
"$PYTHON" -m pairgen build "$CORPUS" -o "$WORK/local" -n "$N" -q

for f in data/train data/test provenance/train provenance/test; do
  file=$f-00000-of-00001.parquet
  [ -e "$WORK/local/$file" ] || continue
  if cmp -s "$WORK/local/$file" "$WORK/ray/$file"; then
    echo "   identical: $file"
  else
    echo "   DIFFERENT: $file" >&2
    exit 1
  fi
done
