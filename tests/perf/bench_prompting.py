"""Expert suggestions on a large workspace: the time to rank colleagues for one thread.

Run with ``python -m tests.perf.bench_prompting --db DIR/store.sqlite3`` on a workspace made by
the store benchmark (``python -m tests.perf.bench_store --posts 1000000 --phases ingest-store
--dir DIR``). It asks :meth:`PromptingService.suggestions` (what the mention picker and
``cm-console show --json`` ask) for a sample of queue threads spread over every community, once
cold (a fresh process, nothing cached) and then again, and prints wall and CPU times per thread
beside the target. It never fails on timing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.perf.stats import summary

TARGET_MS = 200.0


def measure(db: Path, threads: int, seed: int) -> dict[str, Any]:
    from cm_console import app as app_module
    from cm_console import config
    from cm_console.domain.views import QueueQuery, View
    from tests.perf.workspace import NOW

    with tempfile.TemporaryDirectory(prefix="cmc-bench-prompt-") as tmp:
        paths = config.Paths(Path(tmp) / "profile")
        ws = app_module.open_workspace(
            f"sqlite:///{db}", paths, app_module.fixed_clock(NOW), user_name="bench"
        )
        try:
            queue = ws.triage.queue_ids(QueueQuery(view=View.QUEUE))
            sample = random.Random(seed).sample(queue, min(threads, len(queue)))
            rounds: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
            found: list[int] = []
            for name, samples in rounds.items():
                for tid in sample:
                    started, cpu = time.perf_counter(), time.process_time()
                    suggestions = ws.prompting.suggestions(tid)
                    samples.append(
                        (
                            (time.perf_counter() - started) * 1000,
                            (time.process_time() - cpu) * 1000,
                        )
                    )
                    if name == "cold":
                        found.append(len(suggestions))
        finally:
            ws.close()
    return {
        "threads": len(sample),
        "with_suggestions": sum(1 for n in found if n),
        "suggestions_p50": statistics.median(found) if found else 0,
        **{
            f"{name}_{kind}": summary([s[i] for s in samples])
            for name, samples in rounds.items()
            for i, kind in enumerate(("ms", "cpu_ms"))
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="a store benchmark workspace")
    parser.add_argument("--threads", type=int, default=60, help="queue threads to ask about")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    result = measure(args.db, args.threads, args.seed)
    print("cm-console expert suggestions")
    print(
        f"{result['threads']} queue threads, {result['with_suggestions']} with suggestions "
        f"(median {result['suggestions_p50']:g} colleagues)"
    )
    for name in ("cold", "warm"):
        wall, cpu = result[f"{name}_ms"], result[f"{name}_cpu_ms"]
        verdict = "meets" if wall["p95"] <= TARGET_MS else "MISSES"
        print(
            f"  {name:5} wall p50 {wall['p50']:6.1f} / p95 {wall['p95']:6.1f} / max "
            f"{wall['max']:6.1f} ms, CPU p50 {cpu['p50']:6.1f} / p95 {cpu['p95']:6.1f} ms "
            f"(target <= {TARGET_MS:g} ms at p95: {verdict})"
        )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
