"""Slack OAuth v2 with PKCE and a loopback redirect (RFC 8252), and rotating user tokens.

A PKCE app is a public client: no client secret ships with the console. Desktop redirects may
only ask for user scopes, which is all the console needs. When the app has token rotation on,
Slack returns a refresh token (valid 30 days) with a short-lived access token; the keyring then
holds a small JSON bundle and :func:`refresh` renews it before it expires.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from cm_console.connectors import http
from cm_console.connectors.base import AccountConfig, LoginResult, LoginUI
from cm_console.connectors.errors import AuthError, ConfigurationError, MalformedResponse
from cm_console.connectors.loopback import LoopbackRedirect, require
from cm_console.connectors.slack.api import SlackApi
from cm_console.domain.model import Secret

USER_SCOPES = (
    "channels:read groups:read im:read mpim:read channels:history groups:history im:history "
    "mpim:history chat:write reactions:write reactions:read users:read im:write"
)
"""The user scopes of the internal app (packaging/slack/manifest.yaml lists the same)."""
CALLBACK = "/slack/callback"
WAIT_SECONDS = 300.0
REFRESH_MARGIN = 120.0


def pkce_pair() -> tuple[str, str]:
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(64)[:96]
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier, challenge


def oauth_base(api_base: str) -> str:
    """``https://slack.com/`` for ``https://slack.com/api/`` (or a test server's root)."""
    base = http.check_base_url(api_base)
    return base[: -len("api/")] if base.endswith("/api/") else base


def token_bundle(authed: Mapping[str, Any], client_id: str, now: float) -> Secret:
    """The keyring value: a plain token, or a JSON bundle when the token rotates."""
    token = authed.get("access_token")
    if not isinstance(token, str) or not token:
        raise MalformedResponse("Slack's sign-in answer holds no user token")
    refresh_token = authed.get("refresh_token")
    expires_in = authed.get("expires_in")
    if not isinstance(refresh_token, str) or not isinstance(expires_in, int | float):
        return Secret(token)
    bundle = {
        "access_token": token,
        "refresh_token": refresh_token,
        "expires_at": now + float(expires_in),
        "client_id": client_id,
    }
    return Secret(json.dumps(bundle))


def parse_bundle(secret: Secret) -> dict[str, Any] | None:
    """The rotating-token bundle, or None for a plain ``xoxp-`` token."""
    value = secret.reveal()
    if not value.startswith("{"):
        return None
    try:
        bundle = json.loads(value)
    except json.JSONDecodeError:
        raise AuthError("the stored Slack sign-in is damaged; sign in again") from None
    if not isinstance(bundle, dict) or "access_token" not in bundle:
        raise AuthError("the stored Slack sign-in is damaged; sign in again")
    return bundle


def refresh(api: SlackApi, bundle: Mapping[str, Any], now: float) -> Secret:
    """Exchange the refresh token for a new access token (public client: no secret)."""
    body = api.form(
        "oauth.v2.access",
        {
            "client_id": bundle.get("client_id", ""),
            "grant_type": "refresh_token",
            "refresh_token": bundle.get("refresh_token", ""),
        },
    )
    authed = body.get("authed_user") if isinstance(body.get("authed_user"), Mapping) else body
    return token_bundle(authed, str(bundle.get("client_id", "")), now)


def pkce_login(account: AccountConfig, ui: LoginUI, default_api: str) -> LoginResult:
    """Sign in through the browser and exchange the code for a user token."""
    client_id = account.options.get("client_id")
    if not client_id:
        raise ConfigurationError(
            "Slack browser sign-in needs the app's client id (--option client_id=…)"
        )
    api_base = http.check_base_url(account.url or default_api)
    port = int(account.options.get("redirect_port") or 0)
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(24)
    with LoopbackRedirect(CALLBACK, port=port, state=state) as redirect:
        params = {
            "client_id": client_id,
            "user_scope": USER_SCOPES,
            "redirect_uri": redirect.url,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        url = f"{oauth_base(api_base)}oauth/v2/authorize?{urlencode(params)}"
        if not ui.open_url(url):
            ui.show(f"Open this page in your browser to sign in to Slack:\n{url}")
        answer = redirect.wait(WAIT_SECONDS)
        redirect_uri = redirect.url
    client = http.HttpClient(api_base)
    try:
        body = SlackApi(client).form(
            "oauth.v2.access",
            {
                "client_id": client_id,
                "code": require(answer, "code"),
                "code_verifier": verifier,
                "redirect_uri": redirect_uri,
                "grant_type": "authorization_code",
            },
        )
    finally:
        client.close()
    authed = body.get("authed_user")
    if not isinstance(authed, Mapping):
        raise MalformedResponse("Slack's sign-in answer holds no user token")
    return LoginResult(token_bundle(authed, client_id, time.time()), {"client_id": client_id})
