"""cm-console: one queue for the conversations waiting on internal social platforms."""

__version__ = "0.1.0"
