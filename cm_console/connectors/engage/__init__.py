"""Viva Engage (Yammer) communities through the Yammer REST API v1."""
