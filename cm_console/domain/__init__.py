"""Pure-Python domain: the words of DESIGN.md §2 as dataclasses and rules (no I/O)."""
