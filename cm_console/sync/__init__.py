"""Sync: the pull engine (ingest) and the outbox sender. Qt-free; runs in worker threads."""
