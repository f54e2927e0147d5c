"""A homeserver that only signs people in: legacy SSO, or the OAuth 2.0 API with PKCE.

Synapse needs an external identity provider (or MAS) for both flows, so the sign-in tests use
this small server speaking the same endpoints: ``/login`` flows, ``/login/sso/redirect``,
``m.login.token``, ``/auth_metadata``, dynamic client registration, ``/authorize`` and
``/token`` (authorization code with S256 PKCE, and refresh tokens).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Request, Response

from tests.helpers.loopback_app import LoopbackApp, json_response

USER = "@sso-user:fake.test"


class FakeHomeserver(LoopbackApp):
    """``oauth`` selects the flow the server advertises."""

    def __init__(self, *, oauth: bool) -> None:
        self.oauth = oauth
        self.login_tokens: set[str] = set()
        self.clients: dict[str, dict[str, Any]] = {}
        self.codes: dict[str, dict[str, Any]] = {}
        self.access: set[str] = set()
        self.refresh: set[str] = set()
        self.devices: list[str] = []
        super().__init__()

    def expire_all(self) -> None:
        self.access.clear()

    def _token(self) -> tuple[str, str]:
        access, refresh = secrets.token_hex(8), secrets.token_hex(8)
        self.access.add(access)
        self.refresh.add(refresh)
        return access, refresh

    def handle(self, request: Request) -> Response:
        path, args = request.path, request.args
        if path == "/_matrix/client/v1/auth_metadata":
            if not self.oauth:
                return json_response({"errcode": "M_UNRECOGNIZED", "error": "Unrecognized"}, 404)
            return json_response(
                {
                    "issuer": self.url + "/",
                    "authorization_endpoint": self.url + "/oauth/authorize",
                    "token_endpoint": self.url + "/oauth/token",
                    "registration_endpoint": self.url + "/oauth/register",
                    "revocation_endpoint": self.url + "/oauth/revoke",
                    "response_types_supported": ["code"],
                    "grant_types_supported": ["authorization_code", "refresh_token"],
                    "response_modes_supported": ["query", "fragment"],
                    "code_challenge_methods_supported": ["S256"],
                }
            )
        if path == "/_matrix/client/v3/login" and request.method == "GET":
            return json_response({"flows": [{"type": "m.login.sso"}, {"type": "m.login.token"}]})
        if path == "/_matrix/client/v3/login/sso/redirect":
            token = secrets.token_hex(8)
            self.login_tokens.add(token)
            target = args["redirectUrl"]
            return Response("", 302, {"Location": f"{target}?{urlencode({'loginToken': token})}"})
        if path == "/_matrix/client/v3/login" and request.method == "POST":
            body = json.loads(request.get_data())
            if body.get("type") != "m.login.token" or body.get("token") not in self.login_tokens:
                return json_response({"errcode": "M_FORBIDDEN", "error": "Invalid token"}, 403)
            self.login_tokens.discard(body["token"])
            access, _ = self._token()
            return json_response({"access_token": access, "user_id": USER, "device_id": "SSODEV"})
        if path == "/oauth/register":
            body = json.loads(request.get_data())
            assert body["token_endpoint_auth_method"] == "none"
            assert body["application_type"] == "native"
            client_id = secrets.token_hex(6)
            self.clients[client_id] = body
            return json_response({"client_id": client_id, **body}, 201)
        if path == "/oauth/authorize":
            client = self.clients[args["client_id"]]
            assert args["redirect_uri"] in client["redirect_uris"]
            assert args["code_challenge_method"] == "S256"
            scopes = args["scope"].split()
            assert "urn:matrix:client:api:*" in scopes
            self.devices += [s.rsplit(":", 1)[1] for s in scopes if ":device:" in s]
            code = secrets.token_hex(8)
            self.codes[code] = dict(args)
            query = urlencode({"code": code, "state": args["state"]})
            return Response("", 302, {"Location": f"{args['redirect_uri']}?{query}"})
        if path == "/oauth/token":
            form = request.form
            if form["grant_type"] == "authorization_code":
                grant = self.codes.pop(form["code"], None)
                digest = hashlib.sha256(form["code_verifier"].encode()).digest()
                challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
                if grant is None or grant["code_challenge"] != challenge:
                    return json_response({"error": "invalid_grant"}, 400)
            elif form["grant_type"] == "refresh_token":
                if form["refresh_token"] not in self.refresh:
                    return json_response({"error": "invalid_grant"}, 400)
                self.refresh.discard(form["refresh_token"])
            access, refresh = self._token()
            return json_response(
                {
                    "access_token": access,
                    "refresh_token": refresh,
                    "token_type": "Bearer",
                    "expires_in": 300,
                }
            )
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if token not in self.access:
            return json_response(
                {"errcode": "M_UNKNOWN_TOKEN", "error": "Expired", "soft_logout": True}, 401
            )
        if path == "/_matrix/client/v3/account/whoami":
            return json_response({"user_id": USER, "device_id": "X"})
        if path.startswith("/_matrix/client/v3/profile/"):
            return json_response({"displayname": "Sam Signon"})
        return json_response({"errcode": "M_UNRECOGNIZED", "error": "Unrecognized"}, 404)
