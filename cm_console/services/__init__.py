"""Use cases the window and the command line call (triage, accounts, sync, outbox, demo)."""
