"""Guards against a known-bad Qt binding.

PySide6 6.12.0 on Python 3.11 decrements ``None``'s reference count on every call that returns
``None``; the interpreter aborts after ~5,000 calls. The dependency pin keeps 6.12.0 out on 3.11;
this test makes the calls, so a regression aborts here instead of in a user's session.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QLabel, QWidget


def test_twenty_thousand_none_returning_calls_keep_none_alive(qtbot: object) -> None:
    parent = QWidget()
    label = QLabel(parent)
    before = sys.getrefcount(None)
    for i in range(20_000):
        label.setText(str(i))  # returns None
    after = sys.getrefcount(None)
    assert label.text() == "19999"
    if sys.version_info < (3, 12):
        # None is not immortal before 3.12: its count must not drift down by one per call.
        assert after > before - 1_000
