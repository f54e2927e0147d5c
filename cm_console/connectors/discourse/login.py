"""Discourse's User API key desktop sign-in (meta.discourse.org "User API keys specification").

The console makes an RSA key pair, opens ``/user-api-key/new`` in the system browser with the
public key and a nonce, and the person approves there. Discourse encrypts the new key with the
public key and sends it back: to a loopback redirect when the site allows one
(``allowed_user_api_auth_redirects``), otherwise it shows the encrypted payload for the person to
paste. Only this process holds the private key, so only it can read the key.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import uuid
from urllib.parse import urlencode

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from cm_console.connectors.base import AccountConfig, LoginResult, LoginUI
from cm_console.connectors.errors import AuthError, ConfigurationError
from cm_console.connectors.http import check_base_url
from cm_console.connectors.loopback import LoopbackRedirect, require
from cm_console.domain.model import Secret

APPLICATION = "cm-console"
SCOPES = "read,write"
CALLBACK = "/discourse-auth"
WAIT_SECONDS = 300.0


def new_key_pair() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit key pair for one sign-in."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def public_pem(key: rsa.RSAPrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def authorization_url(
    site: str, key: rsa.RSAPrivateKey, nonce: str, client_id: str, redirect: str | None
) -> str:
    """The ``/user-api-key/new`` page the person approves the key on."""
    params = {
        "application_name": APPLICATION,
        "client_id": client_id,
        "scopes": SCOPES,
        "public_key": public_pem(key),
        "nonce": nonce,
        # Newer servers encrypt with OAEP when asked; older ones ignore it and use PKCS#1 v1.5.
        "padding": "oaep",
    }
    if redirect is not None:
        params["auth_redirect"] = redirect
    return f"{site}user-api-key/new?{urlencode(params)}"


def decrypt_payload(key: rsa.RSAPrivateKey, payload: str, nonce: str) -> str:
    """The User API key inside Discourse's encrypted ``payload``.

    Raises:
        AuthError: the payload is not for this sign-in (wrong key or nonce) or unreadable.
    """
    try:
        data = base64.b64decode("".join(payload.split()), validate=False)
    except (binascii.Error, ValueError):
        raise AuthError(
            "the pasted text is not a Discourse key payload", code="bad_payload"
        ) from None
    plain = None
    schemes: tuple[padding.AsymmetricPadding, ...] = (
        padding.OAEP(mgf=padding.MGF1(hashes.SHA1()), algorithm=hashes.SHA1(), label=None),  # noqa: S303 - Discourse's OAEP is SHA-1
        padding.PKCS1v15(),
    )
    for scheme in schemes:
        try:
            plain = key.decrypt(data, scheme)
            break
        except ValueError:
            continue
    if plain is None:
        raise AuthError("the key payload was not encrypted for this sign-in", code="bad_payload")
    try:
        body = json.loads(plain.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise AuthError("the key payload is unreadable", code="bad_payload") from None
    if not isinstance(body, dict) or not secrets.compare_digest(str(body.get("nonce")), nonce):
        raise AuthError("the key payload belongs to another sign-in (nonce)", code="bad_nonce")
    api_key = body.get("key")
    if not isinstance(api_key, str) or not api_key:
        raise AuthError("the key payload holds no key", code="bad_payload")
    return api_key


def user_api_key_login(account: AccountConfig, ui: LoginUI) -> LoginResult:
    """Run the whole flow; the result selects ``auth=user_api_key`` for the account.

    Args:
        account: the settings given to ``account add`` (the site URL; ``login_redirect=paste``
            skips the loopback redirect for sites that allow none).
        ui: opens the browser, shows instructions and reads a pasted payload.
    """
    if not account.url:
        raise ConfigurationError("Discourse needs the site URL (--url)")
    site = check_base_url(account.url)
    client_id = account.options.get("client_id") or f"cm-console-{uuid.uuid4()}"
    nonce = secrets.token_urlsafe(24)
    key = new_key_pair()
    options = {"auth": "user_api_key", "client_id": client_id}
    if account.options.get("login_redirect") == "paste":
        url = authorization_url(site, key, nonce, client_id, None)
        if not ui.open_url(url):
            ui.show(f"Open this page in your browser and approve the key:\n{url}")
        payload = ui.ask("Paste the text Discourse shows after you approve:")
        if not payload:
            raise AuthError("the sign-in was cancelled", code="cancelled")
        return LoginResult(Secret(decrypt_payload(key, payload, nonce)), options)
    with LoopbackRedirect(CALLBACK) as redirect:
        url = authorization_url(site, key, nonce, client_id, redirect.url)
        if not ui.open_url(url):
            ui.show(f"Open this page in your browser and approve the key:\n{url}")
        params = redirect.wait(WAIT_SECONDS)
    return LoginResult(Secret(decrypt_payload(key, require(params, "payload"), nonce)), options)
