"""Zulip: the REST API with e-mail and API key."""
