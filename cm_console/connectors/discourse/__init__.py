"""Discourse: categories, topics and posts through the JSON API; User API key sign-in."""
