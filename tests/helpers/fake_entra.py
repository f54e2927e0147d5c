"""A fake Entra ID authority over https on 127.0.0.1 (MSAL requires https), with a test CA.

It serves the OpenID configuration, the device-code endpoint and the token endpoint (device code
and refresh-token grants, rotating refresh tokens). Access tokens it issues are granted on the
fake APIs through their shared :class:`~tests.helpers.fake_graph.Tokens`.
"""

from __future__ import annotations

import base64
import itertools
import json
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme
from werkzeug.wrappers import Request, Response

from tests.helpers.fake_graph import Tokens
from tests.helpers.fixture_server import FakeApi, json_response

RESERVED = {"openid", "profile", "offline_access"}


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@dataclass
class Identity:
    oid: str
    tid: str
    username: str
    name: str


@dataclass
class LocalCA:
    """A throwaway CA and a server certificate for 127.0.0.1."""

    ca: trustme.CA = field(default_factory=trustme.CA)

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        return context

    def bundle(self, directory: Path) -> Path:
        path = directory / "test-ca.pem"
        self.ca.cert_pem.write_to_path(str(path))
        return path


class FakeEntra(FakeApi):
    """``/{tenant}/v2.0/.well-known/openid-configuration``, ``/devicecode``, ``/token``."""

    def __init__(
        self, grants: list[tuple[Tokens, str]], identity: Identity, tenant: str = "contoso"
    ) -> None:
        super().__init__()
        self.apis = grants
        """Where issued access tokens are valid: each API's token registry and our user's id."""
        self.identity = identity
        self.tenant = tenant
        self.client_id = "11111111-2222-3333-4444-555555555555"
        self.pending_polls = 1
        """Device-code polls answered ``authorization_pending`` before the user "approves"."""
        self.expires_in = 3600
        self.refresh_tokens: set[str] = set()
        self.issued: list[str] = []
        self.grants: list[str] = []
        self.refuse_refresh = False
        self.device_scope = ""
        self._n = itertools.count(1)

    @property
    def authority(self) -> str:
        return f"{self.base_url}/{self.tenant}"

    def _tokens(self, scope: str) -> dict[str, Any]:
        n = next(self._n)
        access = f"at-{n}-CANARY-ACCESS-TOKEN"
        refresh = f"rt-{n}-CANARY-REFRESH-TOKEN"
        for registry, user_id in self.apis:
            registry.grant(access, user_id)
        self.refresh_tokens.add(refresh)
        self.issued.append(access)
        who = self.identity
        id_token = ".".join(
            [
                b64({"alg": "none", "typ": "JWT"}),
                b64(
                    {
                        "iss": f"{self.authority}/v2.0",
                        "aud": self.client_id,
                        "oid": who.oid,
                        "sub": who.oid,
                        "tid": who.tid,
                        "preferred_username": who.username,
                        "name": who.name,
                        "exp": 4_102_444_800,
                        "iat": 1_700_000_000,
                    }
                ),
                "",
            ]
        )
        granted = " ".join(s for s in scope.split() if s not in RESERVED)
        return {
            "token_type": "Bearer",
            "scope": granted,
            "expires_in": self.expires_in,
            "ext_expires_in": self.expires_in,
            "access_token": access,
            "refresh_token": refresh,
            "id_token": id_token,
            "client_info": b64({"uid": who.oid, "utid": who.tid}),
        }

    def handle(self, request: Request) -> Response:
        parts = [p for p in request.path.split("/") if p]
        if not parts or parts[0] != self.tenant:
            return json_response({"error": "invalid_tenant"}, 400)
        rest = parts[1:]
        base = self.authority
        if rest == ["v2.0", ".well-known", "openid-configuration"]:
            return json_response(
                {
                    "issuer": f"{base}/v2.0",
                    "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                    "token_endpoint": f"{base}/oauth2/v2.0/token",
                    "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
                    "end_session_endpoint": f"{base}/oauth2/v2.0/logout",
                }
            )
        if rest == ["oauth2", "v2.0", "devicecode"] and request.method == "POST":
            # The device-code token request carries no scope: the device code stands for it.
            self.device_scope = request.form.get("scope", "")
            return json_response(
                {
                    "device_code": "device-code-1",
                    "user_code": "ABCD-EFGH",
                    "verification_uri": "https://microsoft.example/devicelogin",
                    "expires_in": 900,
                    "interval": 0,  # the test's user "approves" at once: no polling delay
                    "message": "To sign in, visit https://microsoft.example/devicelogin "
                    "and enter ABCD-EFGH.",
                }
            )
        if rest == ["oauth2", "v2.0", "token"] and request.method == "POST":
            return self._token(request.form)
        return json_response({"error": "not_found"}, 404)

    def _token(self, form: Any) -> Response:
        grant = form.get("grant_type", "")
        self.grants.append(grant)
        if form.get("client_id") != self.client_id:
            return json_response({"error": "unauthorized_client"}, 400)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            if self.pending_polls > 0:
                self.pending_polls -= 1
                return json_response({"error": "authorization_pending"}, 400)
            return json_response(self._tokens(form.get("scope") or self.device_scope))
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if self.refuse_refresh or token not in self.refresh_tokens:
                return json_response(
                    {"error": "invalid_grant", "error_description": "AADSTS70000 refused"}, 400
                )
            self.refresh_tokens.discard(token)  # rotation: an old refresh token is spent
            return json_response(self._tokens(form.get("scope", "")))
        return json_response({"error": "unsupported_grant_type"}, 400)
