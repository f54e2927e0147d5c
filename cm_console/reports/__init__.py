"""Exports of threads and metrics to HTML and CSV (pure Python)."""
