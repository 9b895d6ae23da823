#!/usr/bin/env bash
# Peer benchmark: iomtsim (sim-core) against SimPy 4 on a tandem of two M/M/1 stations.
#
#   bash benches/peers/run.sh [duration_s [seed]]
#
# duration_s: simulated seconds (default 2000, ~1.6 M customers; 10 % is warm-up).
# seed:       seed of both runs (default 1; the two tools' random streams differ anyway).
# TOL_PCT:    environment variable, the tolerance of the theory check in percent (default 3).
#
# Creates target/peers-venv with SimPy 4 if missing, builds the example in release, runs the two
# models one after the other (never concurrently, so they do not compete for cores) and prints
# both result lines, the wall-time ratio simpy/iomtsim and the check of both means against the
# Jackson-network theory 2/(mu - lambda) = 10 ms. Exits 1 if a mean misses the theory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

duration="${1:-2000}"
seed="${2:-1}"
tol="${TOL_PCT:-3}"
theory_ms=10
venv=target/peers-venv

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
    echo "== creating $venv with SimPy 4" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet 'simpy==4.*'
fi

echo "== building sim-core example 'tandem' (release)" >&2
cargo build --release --quiet -p sim-core --example tandem

echo "== running both for ${duration} s simulated, seed ${seed}" >&2
iomtsim_line="$(cargo run --release --quiet -p sim-core --example tandem -- "$duration" "$seed")"
echo "$iomtsim_line"
simpy_line="$("$venv/bin/python" benches/peers/tandem_simpy.py "$duration" "$seed")"
echo "$simpy_line"

# field LINE KEY: the value of KEY=value in LINE.
field() {
    local kv
    for kv in $1; do
        if [[ "$kv" == "$2="* ]]; then
            echo "${kv#*=}"
            return
        fi
    done
    echo "missing field $2 in: $1" >&2
    exit 2
}

awk -v iw="$(field "$iomtsim_line" wall_s)" -v sw="$(field "$simpy_line" wall_s)" \
    -v im="$(field "$iomtsim_line" mean_sojourn_ms)" -v sm="$(field "$simpy_line" mean_sojourn_ms)" \
    -v theory="$theory_ms" -v tol="$tol" '
function dev(m) { return 100 * (m - theory) / theory }
function ok(m) { d = dev(m); return (m == m && d <= tol && d >= -tol) ? "ok" : "FAIL" }
BEGIN {
    printf "ratio wall_s simpy/iomtsim = %.1f  (goal >= 50: %s)\n", sw / iw, (sw / iw >= 50 ? "met" : "NOT met")
    printf "theory %g ms, tolerance %g %%: iomtsim %.4f ms (%+.2f %%) %s, simpy %.4f ms (%+.2f %%) %s\n",
        theory, tol, im, dev(im), ok(im), sm, dev(sm), ok(sm)
    exit (ok(im) == "ok" && ok(sm) == "ok") ? 0 : 1
}'
