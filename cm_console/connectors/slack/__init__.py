"""Slack: conversations, threads and replies through the Web API; PKCE browser sign-in."""
