"""Every fuzz target under Hypothesis with a short CI budget, plus every saved crash input.

``CMC_FUZZ_EXAMPLES`` raises the budget (default 60 per target); the long, coverage-guided
run is ``python -m tests.fuzz.run TARGET`` with atheris (see run.py and docs/security.md).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz.targets import TARGETS

EXAMPLES = int(os.environ.get("CMC_FUZZ_EXAMPLES", "60"))
REGRESSIONS = Path(__file__).resolve().parents[1] / "data" / "hostile" / "regressions"

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.integers(min_value=-(10**400), max_value=10**400)
    | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=20,
)
KEYS = [
    "id", "ts", "thread_ts", "user", "text", "created_at", "createdDateTime", "create_at",
    "timestamp", "sender", "sender_id", "content", "body", "event_id", "origin_server_ts",
    "topic_id", "post_number", "cooked", "raw", "username", "name", "from", "root_id",
    "subject", "reactions", "edited_at", "retry_after_ms", "wait_seconds", "extras", "type",
]  # fmt: skip
payloads = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda v: json.dumps(v, allow_nan=True).encode()),
    st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8).map(
        lambda v: json.dumps(v, allow_nan=True).encode()
    ),
)


def saved(target: str) -> list[Path]:
    return sorted(REGRESSIONS.glob(f"{target}-*"))


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_target_survives_generated_input(name: str) -> None:
    target = TARGETS[name]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize="CMC_FUZZ_EXAMPLES" not in os.environ,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(data=payloads)
    def run(data: bytes) -> None:
        target(data)

    run()


@pytest.mark.parametrize(
    "path", [p for name in sorted(TARGETS) for p in saved(name)], ids=lambda p: p.name
)
def test_saved_crash_inputs_stay_fixed(path: Path) -> None:
    TARGETS[path.name.split("-", 1)[0]](path.read_bytes())
