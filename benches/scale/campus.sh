#!/usr/bin/env bash
# The campus example scaled by a factor S: 10,000·S wearables, 50·S gateways, 2·S fog nodes,
# one ingest and one store node as in the example (the fan-in patterns split scaled cloud
# groups into disconnected blocks), 600 s simulated (2 min warm-up), one replication.
#
#   bash benches/scale/campus.sh S validate|run [iomtsim binary] [extra --set ...]
#
# Prints wall time (s) and peak resident memory (KB) from /usr/bin/time; the run's folder goes
# to ${OUT:-/tmp/campus-scale}.
set -euo pipefail
s=${1:?scale factor}
what=${2:?validate or run}
bin=${3:-target/release/iomtsim}
shift 3 || shift $#
sets=(--set "sensing.wearable.count=$((10000 * s))" --set "network.gateway.count=$((50 * s))"
      --set "network.fog.count=$((2 * s))"
      --set duration=600s --set replications=1)
dir=$(cd "$(dirname "$0")/../.." && pwd)
case $what in
  validate) /usr/bin/time -f "campus x$s validate: %e s wall, %U s user, %M KB peak" \
              "$bin" validate "$dir/examples/campus.yaml" "${sets[@]}" "$@" >/dev/null ;;
  run) /usr/bin/time -f "campus x$s run: %e s wall, %U s user, %M KB peak" \
         "$bin" run "$dir/examples/campus.yaml" "${sets[@]}" "$@" --out "${OUT:-/tmp/campus-scale}" --force -q ;;
  *) echo "second argument: validate or run" >&2; exit 2 ;;
esac
