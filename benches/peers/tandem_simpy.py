#!/usr/bin/env python3
"""Peer benchmark: the tandem of two M/M/1 stations in SimPy 4.

The same model as ``sim-core/examples/tandem.rs``: Poisson arrivals (lambda = 800/s) at
station A, then station B; each station is a ``simpy.Resource`` of capacity 1 with
exponential service of mean 1 ms (mu = 1000/s) and an unbounded FIFO queue. Jackson's theorem
gives a mean sojourn through both stations of 2 / (mu - lambda) = 10 ms.

Written as a SimPy user would: one generator process per customer, a source process creating
them. Customers created during the warm-up (the first 10 % of the run) are not measured, nor
are those still in the system at the end.

    python3 tandem_simpy.py [duration_s [seed]]

Prints ``simpy mean_sojourn_ms=... customers=... wall_s=...``.
"""

import random
import sys
import time

import simpy

LAMBDA = 800.0  # arrivals per second
MU = 1000.0  # services per second per station


def customer(env, a, b, warmup, stats):
    created = env.now
    with a.request() as req:
        yield req
        yield env.timeout(random.expovariate(MU))
    with b.request() as req:
        yield req
        yield env.timeout(random.expovariate(MU))
    if created >= warmup:
        stats[0] += env.now - created
        stats[1] += 1


def source(env, a, b, warmup, stats):
    while True:
        yield env.timeout(random.expovariate(LAMBDA))
        env.process(customer(env, a, b, warmup, stats))


def main(argv):
    duration = float(argv[1]) if len(argv) > 1 else 2000.0
    seed = int(argv[2]) if len(argv) > 2 else 1
    warmup = 0.1 * duration

    start = time.perf_counter()
    random.seed(seed)
    env = simpy.Environment()
    a = simpy.Resource(env, capacity=1)
    b = simpy.Resource(env, capacity=1)
    stats = [0.0, 0]  # sum of sojourns (s), customers measured
    env.process(source(env, a, b, warmup, stats))
    env.run(until=duration)
    wall = time.perf_counter() - start

    total, count = stats
    mean_ms = total / count * 1e3 if count else float("nan")
    theory_ms = 2.0 / (MU - LAMBDA) * 1e3
    print(
        f"simpy mean_sojourn_ms={mean_ms:.4f} customers={count} wall_s={wall:.3f} "
        f"duration_s={duration:g} seed={seed} theory_ms={theory_ms:.4f} "
        f"simpy_version={simpy.__version__}"
    )


if __name__ == "__main__":
    main(sys.argv)
