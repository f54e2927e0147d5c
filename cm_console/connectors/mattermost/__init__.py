"""Mattermost: the API v4 with a personal access token."""
