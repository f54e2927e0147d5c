"""The outbox proof at full size: faults on every platform, then kill -9 (docs/reliability.md).

Run with ``python -m tests.perf.bench_outbox --faults 20000 --sends 2000 --kills 1000``
(``--no-matrix`` skips the real Synapse). Two parts, both against real loopback servers and real
SQLite files, with the invariants of :mod:`tests.helpers.faultserver_model` checked after every
step:

1. **Faults.** Worlds of each platform in turn (fixture server behind the fault proxy, one fake
   clock) are driven at random — write replies and DMs, arm one to three faults on the next write
   or read-back, drain, crash mid-send and restart, go offline and online, let time pass, sync
   (and replay) pages, colleagues reply, the user retries — until at least ``--faults`` faults
   fired over at least ``--sends`` operations; each world is then healed and tallied.
2. **Kills.** The kill -9 harness (:mod:`tests.helpers.faultserver_kill9`) runs ``--kills``
   children, a quarter of them killed while the proxy holds a send.

It prints the figures (and writes them as JSON with ``--json``); an invariant violation is
printed and counted, and the run goes on with a fresh world.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from tests.helpers.faultserver import RETRY_AFTER_VALUES
from tests.helpers.faultserver_kill9 import Kill9
from tests.helpers.faultserver_model import (
    ADVANCES,
    FAULTS_ON_CREATE,
    FAULTS_ON_READBACK,
    Figures,
    OutboxWorld,
    migrated_template,
)

PLATFORMS = (
    "mattermost",
    "discourse",
    "discourse-staff",
    "slack",
    "zulip",
    "teams",
    "engage",
    "matrix",
)


@contextmanager
def synapse_session(directory: Path) -> Iterator[Any]:
    """A Synapse with the tests' cast (as the ``synapse`` fixture makes it)."""
    from tests.helpers.synapse import AS_PREFIX, SynapseSession, running_synapse

    with running_synapse(directory) as server:
        yield SynapseSession(
            server=server,
            me=server.register("manager", "Mona Manager"),
            admin=server.register("admin", "Server Admin", admin=True),
            author=server.register_puppet(f"{AS_PREFIX}anna", "Anna Asker"),
            expert=server.register_puppet(f"{AS_PREFIX}sven", "Sven Expert"),
        )


def drive(world: OutboxWorld, rng: random.Random, sends: int) -> None:
    """One world: about ``sends`` operations under a dense rain of faults."""
    offline = False
    written = 0
    while written < sends or rng.random() < 0.3:
        roll = rng.random()
        if roll < 0.16 and written < sends:
            if rng.random() < 0.15:
                world.write_dm()
            else:
                world.write_reply(rng.randrange(2))
            written += 1
        elif roll < 0.40:
            for _ in range(rng.randint(1, 3)):
                if rng.random() < 0.75:
                    fault = rng.choice(FAULTS_ON_CREATE)
                    world.arm(fault, "create", rng.choice(RETRY_AFTER_VALUES))
                else:
                    fault = rng.choice(FAULTS_ON_READBACK)
                    world.arm(fault, "readback", rng.choice(RETRY_AFTER_VALUES))
        elif roll < 0.70:
            world.drain()
        elif roll < 0.80:
            world.advance(rng.choice(ADVANCES))
        elif roll < 0.84 and not offline:
            world.crash_mid_send(rng.random() < 0.6)
        elif roll < 0.88:
            offline = not offline
            world.set_offline(offline)
        elif roll < 0.93:
            world.sync_page(rng.random() < 0.4)
        elif roll < 0.95:
            world.colleague_replies(rng.randrange(2))
        elif roll < 0.97:
            world.retry_one()
        else:
            world.restart()
        world.check()
    world.heal()
    world.check()


def run_faults(
    faults: int,
    sends: int,
    seed: int,
    workdir: Path,
    matrix: Any | None,
    only: list[str] | None = None,
    budget_s: float | None = None,
) -> dict[str, Any]:
    rng = random.Random(seed)
    template = migrated_template(workdir)
    totals = Figures()
    violations: list[str] = []
    per_platform: Counter[str] = Counter()
    platforms = [
        p for p in (only or PLATFORMS) if p in PLATFORMS and (p != "matrix" or matrix is not None)
    ]
    started = time.monotonic()
    i = 0
    while sum(totals.faults.values()) < faults or totals.counts["sends"] < sends:
        if budget_s is not None and time.monotonic() - started > budget_s:
            print("  time budget spent: stopping short of the targets", file=sys.stderr)
            break
        platform = platforms[i % len(platforms)]
        i += 1
        kw: dict[str, Any] = {}
        if platform == "discourse-staff":
            kw["staff"] = True
        if platform == "matrix":
            kw["synapse"] = matrix
        name = platform.removesuffix("-staff")
        world = OutboxWorld(name, template, workdir, **kw)
        world.platform = platform
        try:
            drive(world, rng, sends=8 if platform == "matrix" else 25)
        except AssertionError as exc:
            violations.append(f"{platform}: {exc}")
            traceback.print_exc()
            print("  steps:", " ; ".join(world.trace), file=sys.stderr)
        finally:
            try:
                totals.add(world.tally())
            finally:
                world.close()
        per_platform[platform] += 1
        done = sum(totals.faults.values())
        print(
            f"  {platform:16} worlds {i:4}  faults {done:6}  sends {totals.counts['sends']:5}  "
            f"{time.monotonic() - started:6.0f} s",
            file=sys.stderr,
        )
    counts = totals.counts
    ambiguous = counts["ever unknown"]
    return {
        "seconds": round(time.monotonic() - started, 1),
        "worlds": dict(per_platform),
        "faults": sum(totals.faults.values()),
        "faults_by_kind": _by_kind(totals.faults),
        "faults_by_platform": _by_platform(totals.faults),
        "sends": counts["sends"],
        "lost": counts["lost"],
        "duplicated": counts["duplicated"],
        "violations": violations,
        "ambiguous": ambiguous,
        "resolved_automatically": counts["unknown resolved automatically"],
        "resolved_automatically_pct": round(
            100.0 * counts["unknown resolved automatically"] / ambiguous, 1
        )
        if ambiguous
        else None,
        "throttles": counts["throttles"],
        "requests_before_allowed": 0
        if not any("I3" in v for v in violations)
        else "see violations",
        "final": {k[6:]: v for k, v in counts.items() if k.startswith("final ")},
        "needs_attention_copies": {
            k: v for k, v in counts.items() if k.startswith("needs_attention with")
        },
        "counts": dict(counts),
    }


def _by_kind(faults: Counter[str]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for key, n in faults.items():
        out[key.split(":", 1)[1]] += n
    return dict(out.most_common())


def _by_platform(faults: Counter[str]) -> dict[str, int]:
    out: Counter[str] = Counter()
    for key, n in faults.items():
        out[key.split(":", 1)[0]] += n
    return dict(out.most_common())


def run_kills(
    kills: int, seed: int, workdir: Path, budget_s: float | None = None
) -> dict[str, Any]:
    harness = Kill9(workdir, seed)
    started = time.monotonic()
    violations: list[str] = []
    try:
        for i in range(kills):
            if budget_s is not None and time.monotonic() - started > budget_s:
                print("  time budget spent: stopping short of the target", file=sys.stderr)
                break
            try:
                harness.kill_once(mid_send=i % 4 == 0)
            except AssertionError as exc:
                violations.append(str(exc))
                traceback.print_exc()
            if (i + 1) % 50 == 0:
                print(f"  kills {i + 1:5}  {time.monotonic() - started:6.0f} s", file=sys.stderr)
        harness.heal()
    finally:
        harness.close()
    c = harness.figures.counts
    return {
        "seconds": round(time.monotonic() - started, 1),
        "kills": c["kills"],
        "kills_mid_send": c["kills mid-send"],
        "integrity_check_ok": c["integrity_check ok"],
        "acked": {k: c[k] for k in ("acked drafts", "acked replies", "acked pages", "acked sends")},
        "rows_recovered_from_sending": c["rows recovered from sending"],
        "replies": c["replies"],
        "lost": c["lost"],
        "duplicated": c["duplicated"],
        "still_pending": c["still pending"],
        "final": {k[6:]: v for k, v in c.items() if k.startswith("final ")},
        "violations": violations,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--faults", type=int, default=2000)
    parser.add_argument("--sends", type=int, default=200)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--no-matrix", action="store_true")
    parser.add_argument("--platforms", nargs="*", default=list(PLATFORMS))
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--budget-minutes",
        type=float,
        help="stop each part after this long (wall clock) and report what it reached",
    )
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    result: dict[str, Any] = {"seed": args.seed}
    budget_s = args.budget_minutes * 60 if args.budget_minutes else None
    with tempfile.TemporaryDirectory(prefix="bench-outbox-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        matrix = None
        if not args.no_matrix:
            (work / "synapse").mkdir()
            matrix = stack.enter_context(synapse_session(work / "synapse"))
        if args.faults or args.sends:
            print("faults:", file=sys.stderr)
            (work / "faults").mkdir()
            result["faults"] = run_faults(
                args.faults,
                args.sends,
                args.seed,
                work / "faults",
                matrix,
                args.platforms,
                budget_s,
            )
        if args.kills:
            print("kills:", file=sys.stderr)
            (work / "kills").mkdir()
            result["kills"] = run_kills(args.kills, args.seed, work / "kills", budget_s)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n")
    failed = any(
        part.get("violations") or part.get("lost") or part.get("duplicated")
        for part in result.values()
        if isinstance(part, dict)
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
