#!/usr/bin/env bash
# Peer benchmark: iomtsim against SimPy 4 on a tandem of two M/M/1 stations, measured twice on
# the iomtsim side:
#   engine:   the sim-core example (`sim-core/examples/tandem.rs`), building and running the
#             model in-process;
#   full run: `iomtsim run benches/peers/tandem.yaml` as a user runs it: process start-up, parsing
#             and checking the scenario, the simulation, and every output and chart written.
#
#   bash benches/peers/run.sh [duration_s [seed]]
#
# duration_s: simulated seconds (default 2000, ~1.6 M customers; 10 % is warm-up).
# seed:       seed of every run (default 1; the tools' random streams differ anyway).
# PAIRS:      environment variable, how many rounds of SimPy then iomtsim to run (default 3).
# TOL_PCT:    environment variable, the tolerance of the theory check in percent (default 3).
#
# Needs python3 (with venv), jq and cargo. Creates target/peers-venv with SimPy 4 if missing,
# builds the example and the CLI in release,
# then alternates SimPy and iomtsim (engine, then full run), never concurrently, so a change of
# machine load hits both sides. Prints one line per run, the wall-time ratios SimPy/engine and
# SimPy/full run of each round and their medians, and checks every mean against the
# Jackson-network theory 2/(mu - lambda) = 10 ms. Exits 1 if a mean misses the theory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."

duration="${1:-2000}"
seed="${2:-1}"
pairs="${PAIRS:-3}"
tol="${TOL_PCT:-3}"
theory_ms=10
venv=target/peers-venv
bin="${CARGO_TARGET_DIR:-target}/release"
out=target/peers-run
warmup="$(awk -v d="$duration" 'BEGIN { printf "%.9g", d / 10 }')"

if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import simpy' 2>/dev/null; then
    echo "== creating $venv with SimPy 4" >&2
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet 'simpy==4.*'
fi

echo "== building the sim-core example 'tandem' and the iomtsim CLI (release)" >&2
cargo build --release --quiet -p sim-core --example tandem
cargo build --release --quiet -p iomtsim --bin iomtsim

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

# full_run: one `iomtsim run` of the scenario, timed from process start to exit; prints a result
# line in the example's format, from the results folder's summary.json.
full_run() {
    local start end
    start="$(date +%s%N)"
    "$bin/iomtsim" run benches/peers/tandem.yaml --out "$out" --force --quiet --seed "$seed" \
        --set "duration=${duration}s" --set "warmup=${warmup}s"
    end="$(date +%s%N)"
    awk -v ns="$((end - start))" \
        -v mean="$(jq -r '.latency_by_class.routine.mean_ms' "$out/summary.json")" \
        -v n="$(jq -r '.latency_by_class.routine.observations' "$out/summary.json")" \
        -v ev="$(jq -r '.events' "$out/summary.json")" \
        'BEGIN { printf "iomtsim-run mean_sojourn_ms=%.4f customers=%d events=%d wall_s=%.3f\n", mean, n, ev, ns / 1e9 }'
}

echo "== ${pairs} rounds of SimPy, iomtsim engine, iomtsim full run; ${duration} s simulated, seed ${seed}; load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
status=0
ratios=""
for ((i = 1; i <= pairs; i++)); do
    simpy_line="$("$venv/bin/python" benches/peers/tandem_simpy.py "$duration" "$seed")"
    engine_line="$("$bin/examples/tandem" "$duration" "$seed")"
    run_line="$(full_run)"
    echo "round $i (load $(cut -d' ' -f1 /proc/loadavg))"
    echo "  $simpy_line"
    echo "  $engine_line"
    echo "  $run_line"
    sw="$(field "$simpy_line" wall_s)"
    ew="$(field "$engine_line" wall_s)"
    rw="$(field "$run_line" wall_s)"
    ratios+="$(awk -v s="$sw" -v e="$ew" -v r="$rw" 'BEGIN { printf "%.2f %.2f\n", s / e, s / r }')"$'\n'
    awk -v s="$sw" -v e="$ew" -v r="$rw" \
        'BEGIN { printf "  ratio SimPy/engine = %.1f, SimPy/full run = %.1f\n", s / e, s / r }'
    for line in "$simpy_line" "$engine_line" "$run_line"; do
        if ! awk -v m="$(field "$line" mean_sojourn_ms)" -v t="$theory_ms" -v tol="$tol" \
            -v who="${line%% *}" 'BEGIN {
                d = 100 * (m - t) / t
                ok = (m == m && d <= tol && d >= -tol)
                if (!ok) printf "  %s mean %.4f ms misses the theory %g ms by %+.2f %% (tolerance %g %%)\n", who, m, t, d, tol
                exit ok ? 0 : 1
            }'; then
            status=1
        fi
    done
done

# median COLUMN: the median of that column of $ratios (the middle value, or the mean of the two
# middle ones).
median() {
    printf '%s' "$ratios" | cut -d' ' -f"$1" | sort -g |
        awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
for pair in "1 engine" "2 full run"; do
    m="$(median "${pair%% *}")"
    awk -v m="$m" -v who="${pair#* }" \
        'BEGIN { printf "median ratio SimPy/%s = %.1f (goal >= 50: %s)\n", who, m, (m >= 50 ? "met" : "NOT met") }'
done
if [[ "$status" -eq 0 ]]; then
    echo "every mean within ${tol} % of the theory ${theory_ms} ms"
fi
exit "$status"
