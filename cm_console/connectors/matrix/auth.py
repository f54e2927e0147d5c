"""Matrix sign-in: password exchange, SSO login token and the OAuth 2.0 API (code + PKCE).

Browser flows use the system browser and a one-shot loopback redirect on 127.0.0.1 (RFC 8252).
Where the homeserver advertises the OAuth 2.0 API (``/auth_metadata``, spec v1.15+) it is
preferred; otherwise the legacy ``m.login.sso`` flow hands back a login token.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cm_console.connectors.base import LoginUI
from cm_console.connectors.errors import (
    AuthError,
    ConnectorError,
    MalformedResponse,
    NotFound,
    PermanentError,
)
from cm_console.connectors.http import HttpClient
from cm_console.connectors.matrix.api import CLIENT_V1, CLIENT_V3, MatrixSession, session_from_login
from cm_console.domain.model import Secret

LOGIN_TIMEOUT = 300.0
CLIENT_NAME = "cm-console"
CLIENT_URI = "https://github.com/cm-console/cm-console"
DEVICE_NAME = "cm-console"


def password_login(http: HttpClient, user_id: str, password: Secret) -> MatrixSession:
    """Exchange the account's password for a session (``m.login.password``)."""
    body = {
        "type": "m.login.password",
        "identifier": {"type": "m.id.user", "user": user_id},
        "password": password.reveal(),
        "initial_device_display_name": DEVICE_NAME,
    }
    try:
        answer = http.post_json(f"{CLIENT_V3}/login", body)
    except PermanentError as exc:
        raise AuthError("the homeserver refused the user id or password", code=exc.code) from None
    return session_from_login(answer)


def refresh(http: HttpClient, session: MatrixSession) -> MatrixSession:
    """A fresh access token from the OAuth refresh token (the old one expired)."""
    if not session.refresh_token or not session.token_endpoint or not session.client_id:
        raise AuthError("the session expired; sign in again", code="expired")
    try:
        response = http.write(
            "POST",
            session.token_endpoint,
            data={
                "grant_type": "refresh_token",
                "refresh_token": session.refresh_token,
                "client_id": session.client_id,
            },
        )
        answer = response.json()
    except (PermanentError, MalformedResponse) as exc:
        raise AuthError("the session expired; sign in again", code=exc.code) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("access_token"), str):
        raise AuthError("the session expired; sign in again", code="expired")
    return session.with_tokens(
        answer["access_token"], answer.get("refresh_token") or session.refresh_token
    )


class LoopbackReceiver:
    """A one-shot HTTP listener on 127.0.0.1 that catches the browser's redirect."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self.params: dict[str, str] = {}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                query = parse_qs(urlsplit(self.path).query)
                if urlsplit(self.path).path == "/callback" and not receiver._done.is_set():
                    receiver.params = {k: v[0] for k, v in query.items() if v}
                    receiver._done.set()
                page = b"<html><body>Signed in. You can close this window.</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the query holds one-time codes: never log it

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/callback"

    def __enter__(self) -> LoopbackReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str]:
        if not self._done.wait(timeout):
            raise AuthError("the sign-in in the browser did not finish in time", code="timeout")
        return self.params


def pkce_pair() -> tuple[str, str]:
    """(verifier, S256 challenge)."""
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def auth_metadata(http: HttpClient) -> Mapping[str, Any] | None:
    """The OAuth 2.0 server metadata the homeserver advertises, or None."""
    try:
        answer = http.get_json(f"{CLIENT_V1}/auth_metadata")
    except (NotFound, PermanentError):
        return None
    if not isinstance(answer, dict):
        return None
    needed = ("authorization_endpoint", "token_endpoint", "registration_endpoint")
    if not all(isinstance(answer.get(k), str) for k in needed):
        return None
    if "S256" not in (answer.get("code_challenge_methods_supported") or []):
        return None
    return answer


def oauth_login(
    http: HttpClient, meta: Mapping[str, Any], ui: LoginUI, timeout: float = LOGIN_TIMEOUT
) -> MatrixSession:
    """Authorization code grant with PKCE, as a public native client on a loopback redirect."""
    with LoopbackReceiver() as receiver:
        registered = http.post_json(
            meta["registration_endpoint"],
            {
                "client_name": CLIENT_NAME,
                "client_uri": CLIENT_URI,
                "application_type": "native",
                "redirect_uris": [receiver.redirect_uri],
                "token_endpoint_auth_method": "none",
                "grant_types": ["authorization_code", "refresh_token"],
                "response_types": ["code"],
            },
        )
        client_id = registered.get("client_id") if isinstance(registered, dict) else None
        if not isinstance(client_id, str):
            raise AuthError("the homeserver did not register this app", code="registration")
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(16)
        device_id = secrets.token_hex(5).upper()
        query = {
            "response_type": "code",
            "response_mode": "query",
            "client_id": client_id,
            "redirect_uri": receiver.redirect_uri,
            "scope": f"urn:matrix:client:api:* urn:matrix:client:device:{device_id}",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        ui.open_url(f"{meta['authorization_endpoint']}?{urlencode(query)}")
        params = receiver.wait(timeout)
    if params.get("state") != state:
        raise AuthError("the browser's answer does not belong to this sign-in", code="state")
    if "code" not in params:
        raise AuthError(
            f"the sign-in was refused ({params.get('error', 'no code')})", code="denied"
        )
    response = http.write(
        "POST",
        meta["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": params["code"],
            "redirect_uri": receiver.redirect_uri,
            "client_id": client_id,
            "code_verifier": verifier,
        },
    )
    try:
        answer = response.json()
    except MalformedResponse:
        raise AuthError("the token endpoint did not answer with JSON", code="token") from None
    session = session_from_login(
        answer, token_endpoint=str(meta["token_endpoint"]), client_id=client_id
    )
    return MatrixSession(
        access_token=session.access_token,
        refresh_token=session.refresh_token,
        device_id=device_id,
        token_endpoint=session.token_endpoint,
        client_id=client_id,
    )


def sso_login(http: HttpClient, ui: LoginUI, timeout: float = LOGIN_TIMEOUT) -> MatrixSession:
    """Legacy SSO: the browser signs in and the homeserver redirects back with a login token."""
    flows = http.get_json(f"{CLIENT_V3}/login")
    types = (
        {f.get("type") for f in flows.get("flows", []) if isinstance(f, dict)}
        if isinstance(flows, dict)
        else set()
    )
    if "m.login.sso" not in types:
        raise PermanentError("this homeserver offers no browser sign-in", code="no_sso")
    with LoopbackReceiver() as receiver:
        ui.open_url(
            http.url(f"{CLIENT_V3}/login/sso/redirect")
            + "?"
            + urlencode({"redirectUrl": receiver.redirect_uri})
        )
        params = receiver.wait(timeout)
    token = params.get("loginToken")
    if not token:
        raise AuthError("the sign-in in the browser was cancelled", code="cancelled")
    answer = http.post_json(
        f"{CLIENT_V3}/login",
        {"type": "m.login.token", "token": token, "initial_device_display_name": DEVICE_NAME},
    )
    return session_from_login(answer)


def browser_login(http: HttpClient, ui: LoginUI, timeout: float = LOGIN_TIMEOUT) -> MatrixSession:
    """The OAuth 2.0 API where the homeserver offers it, else SSO."""
    try:
        meta = auth_metadata(http)
    except ConnectorError:
        meta = None
    if meta is not None:
        return oauth_login(http, meta, ui, timeout)
    return sso_login(http, ui, timeout)
