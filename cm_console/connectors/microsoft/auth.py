"""Entra ID sign-in for Teams and Viva Engage: MSAL as a public client with an encrypted cache.

Two kinds of account secret reach a connector (DESIGN.md §8):

- an **MSAL sign-in**: the keyring holds only a reference to the signed-in account
  (:func:`account_reference`); the tokens live in MSAL's cache, kept in msal-extensions
  encrypted persistence (DPAPI, Keychain or libsecret). A plaintext cache file exists only when
  the user opts in with ``--option token_cache=plaintext``, and that is logged and shown.
- an **access token** from ``--token-env``: used as is until it expires, then the account asks for
  a new one (there is nothing to refresh it with).

Tenant, client id, authority and the API resource are ``--option`` values, so national clouds and
tests point the sign-in elsewhere. The cache location is not the connector's business: the
composition root passes the profile's cache directory as the ``cache_dir`` backend.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests

from cm_console.connectors.base import AccountConfig, LoginMethod, LoginUI, OptionSpec
from cm_console.connectors.errors import AuthError, ConfigurationError, NetworkError
from cm_console.domain.model import Secret

log = logging.getLogger(__name__)

DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com"
DEFAULT_TENANT = "organizations"
"""Work or school accounts of any tenant; a tenant id or domain pins one organisation."""
CACHE_DIR_BACKEND = "cache_dir"
REFERENCE_KIND = "msal-account"
LOGIN_TIMEOUT_S = 300

OPTIONS = (
    OptionSpec("tenant", "Entra tenant id or domain (default: organizations)"),
    OptionSpec("client_id", "application (client) id of the Entra app registration"),
    OptionSpec(
        "authority",
        "sign-in authority URL, for national clouds (default: https://login.microsoftonline.com)",
    ),
    OptionSpec(
        "token_cache",
        "where MSAL keeps tokens: 'encrypted' (default) or 'plaintext' (an unencrypted file; "
        "only if this machine has no keyring and you accept the risk)",
        choices=("encrypted", "plaintext"),
        default="encrypted",
    ),
    OptionSpec("resource", "API resource the token is for (national clouds)"),
)


class TokenSource(Protocol):
    """Gives the current access token; refreshes it once when the API refused it."""

    def token(self) -> str: ...

    def refresh(self) -> bool:
        """Try to get a new token after a 401; False when there is no way to."""
        ...


@dataclass(frozen=True, slots=True)
class EntraSettings:
    """Where and as which app to sign in, and for which API."""

    client_id: str | None
    authority: str
    scopes: tuple[str, ...]
    plaintext_cache: bool

    @classmethod
    def from_account(
        cls, account: AccountConfig, *, default_resource: str, permissions: Sequence[str]
    ) -> EntraSettings:
        """Settings from ``--option`` values (tenant, client_id, authority, token_cache…)."""
        options = account.options
        tenant = (options.get("tenant") or DEFAULT_TENANT).strip().strip("/")
        raw = (options.get("authority") or DEFAULT_AUTHORITY_HOST).strip().rstrip("/")
        parts = urlsplit(raw)
        if parts.scheme != "https" or not parts.hostname:
            raise ConfigurationError("authority: Entra sign-in needs an https URL")
        authority = raw if parts.path.strip("/") else f"{raw}/{tenant}"
        resource = (options.get("resource") or default_resource).rstrip("/")
        mode = options.get("token_cache") or "encrypted"
        if mode not in ("encrypted", "plaintext"):
            raise ConfigurationError("token_cache: expected 'encrypted' or 'plaintext'")
        return cls(
            client_id=(options.get("client_id") or "").strip() or None,
            authority=authority,
            scopes=tuple(f"{resource}/{p}" for p in permissions),
            plaintext_cache=mode == "plaintext",
        )

    def cache_name(self) -> str:
        """One cache file per authority and app: accounts and APIs share it (one sign-in)."""
        key = f"{self.authority.lower()}|{self.client_id}"
        return hashlib.sha256(key.encode()).hexdigest()[:20]


# --- the token cache --------------------------------------------------------------------------


PLAINTEXT_WARNING = (
    "the Microsoft token cache is stored WITHOUT encryption in {path} "
    "(token_cache=plaintext): anyone who can read this file can act as you"
)


def cache_location(settings: EntraSettings, backends: Mapping[str, Any]) -> Path:
    """The cache file under the profile's cache directory (the ``cache_dir`` backend)."""
    cache_dir = backends.get(CACHE_DIR_BACKEND)
    if not cache_dir:
        raise ConfigurationError(
            "Microsoft sign-in needs a place for its token cache (no cache_dir was provided)",
            code="no_cache_dir",
        )
    return Path(cache_dir) / "msal" / f"{settings.cache_name()}.bin"


def open_token_cache(
    settings: EntraSettings,
    backends: Mapping[str, Any],
    warn: Callable[[str], None] | None = None,
) -> Any:
    """MSAL's token cache in encrypted persistence, or plaintext only when opted in.

    Raises:
        ConfigurationError: encryption is unavailable on this system and the user did not opt
            in to a plaintext cache (nothing falls back to plaintext by itself).
    """
    import msal_extensions  # noqa: PLC0415 - loaded only by Microsoft accounts

    location = cache_location(settings, backends)
    location.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if settings.plaintext_cache:
        message = PLAINTEXT_WARNING.format(path=location)
        log.warning("%s", message)
        if warn is not None:
            warn(message)
        persistence = msal_extensions.FilePersistence(str(location))
    else:
        try:
            persistence = msal_extensions.build_encrypted_persistence(str(location))
        except (ImportError, ValueError, RuntimeError, OSError) as exc:
            # libsecret needs PyGObject, gir1.2-secret-1 and an unlocked Secret Service; DPAPI
            # and the Keychain can fail too. Say what is missing instead of writing tokens out.
            log.info("encrypted token cache unavailable: %s", type(exc).__name__)
            raise ConfigurationError(
                "no encrypted storage is available for the Microsoft token cache on this system "
                f"({type(exc).__name__}). On Linux install and unlock a Secret Service (GNOME "
                "Keyring or KWallet) with libsecret and PyGObject; or accept an unencrypted "
                "cache file with --option token_cache=plaintext",
                code="insecure_cache_refused",
            ) from None
    return msal_extensions.PersistedTokenCache(persistence)


# --- MSAL -------------------------------------------------------------------------------------


def build_app(settings: EntraSettings, cache: Any) -> Any:
    """A ``PublicClientApplication`` for ``settings`` over ``cache``."""
    import msal  # noqa: PLC0415 - loaded only by Microsoft accounts
    from msal.authority import WELL_KNOWN_AUTHORITY_HOSTS  # noqa: PLC0415

    if not settings.client_id:
        raise ConfigurationError(
            "Microsoft sign-in needs the app registration's id: --option client_id=<GUID>",
            code="no_client_id",
        )
    host = urlsplit(settings.authority).hostname or ""
    try:
        return msal.PublicClientApplication(
            settings.client_id,
            authority=settings.authority,
            token_cache=cache,
            # Instance discovery asks login.microsoftonline.com about the authority; a sovereign
            # or test authority that Microsoft's list does not name is validated by its own
            # OpenID configuration instead.
            instance_discovery=None if host in WELL_KNOWN_AUTHORITY_HOSTS else False,
            timeout=30,
        )
    except requests.exceptions.RequestException as exc:
        raise NetworkError(
            f"{host}: the sign-in service cannot be reached ({type(exc).__name__})"
        ) from None
    except ValueError as exc:
        raise ConfigurationError(f"{host}: not a usable sign-in authority ({exc})") from None


def account_reference(home_account_id: str, username: str | None) -> Secret:
    """What the keyring keeps for an MSAL sign-in: which cached account to use (no token)."""
    return Secret(
        json.dumps(
            {"kind": REFERENCE_KIND, "home_account_id": home_account_id, "username": username}
        )
    )


def parse_reference(secret: Secret) -> dict[str, Any] | None:
    """The account reference in ``secret``, or None when the secret is a bare access token."""
    value = secret.reveal()
    if not value.startswith("{"):
        return None
    try:
        data = json.loads(value)
    except json.JSONDecodeError:
        return None
    if isinstance(data, dict) and data.get("kind") == REFERENCE_KIND:
        return data
    return None


def _failure(result: Mapping[str, Any] | None, what: str) -> AuthError:
    if not result:
        return AuthError(
            f"{what}: no valid sign-in is cached; sign in again (--login browser or device)",
            code="signin_required",
        )
    error = str(result.get("error") or "unknown_error")
    # error_description can quote the request; only the stable OAuth error code is shown.
    return AuthError(f"{what}: Microsoft sign-in failed ({error})", code=f"signin_{error}")


class MsalTokens:
    """Tokens of one signed-in account from the MSAL cache, refreshed silently.

    The application (and with it the authority's discovery request) is built on first use, so
    constructing a connector touches no network. Refreshes are single-flight: MSAL rotates
    refresh tokens, and two threads refreshing at once would lose one of them.
    """

    def __init__(
        self,
        settings: EntraSettings,
        reference: Mapping[str, Any],
        backends: Mapping[str, Any],
    ) -> None:
        self._settings = settings
        self._reference = dict(reference)
        self._backends = backends
        self._app: Any = None
        self._lock = threading.Lock()

    def _application(self) -> Any:
        if self._app is None:
            cache = open_token_cache(self._settings, self._backends)
            self._app = build_app(self._settings, cache)
        return self._app

    def _acquire(self, *, force: bool) -> str:
        with self._lock:
            app = self._application()
            wanted = self._reference.get("home_account_id")
            account = next(
                (a for a in app.get_accounts() if a.get("home_account_id") == wanted), None
            )
            if account is None:
                raise _failure(None, "Microsoft account")
            try:
                result = app.acquire_token_silent_with_error(
                    list(self._settings.scopes), account, force_refresh=force
                )
            except requests.exceptions.RequestException as exc:
                raise NetworkError(
                    f"the sign-in service cannot be reached ({type(exc).__name__})"
                ) from None
            if not result or "access_token" not in result:
                raise _failure(result, "Microsoft account")
            return str(result["access_token"])

    def token(self) -> str:
        """A valid access token: from the cache, or refreshed with the cached refresh token."""
        return self._acquire(force=False)

    def refresh(self) -> bool:
        """After a 401: ask for a new access token even if the cached one looks valid."""
        self._acquire(force=True)
        return True


def jwt_expiry(token: str) -> datetime | None:
    """The ``exp`` claim of a JWT access token (not verified: it only says when to stop)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    try:
        padded = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        exp = claims.get("exp") if isinstance(claims, dict) else None
        if isinstance(exp, int | float) and not isinstance(exp, bool):
            return datetime.fromtimestamp(exp, UTC)
    except (ValueError, UnicodeError, OverflowError, OSError):
        return None
    return None


class StaticToken:
    """An access token given with ``--token-env``: used as is until it expires."""

    def __init__(self, secret: Secret, clock: Callable[[], datetime]) -> None:
        self._secret = secret
        self._clock = clock
        self._expires = jwt_expiry(secret.reveal())

    def token(self) -> str:
        if self._expires is not None and self._clock() >= self._expires:
            when = self._expires.strftime("%Y-%m-%d %H:%M UTC")
            raise AuthError(
                f"the access token expired ({when}); add the account again with a fresh "
                "token, or sign in with --login browser or device so it renews itself",
                code="token_expired",
            )
        return self._secret.reveal()

    def refresh(self) -> bool:
        return False


def token_source(
    secret: Secret | None,
    account: AccountConfig,
    *,
    clock: Callable[[], datetime],
    backends: Mapping[str, Any],
    default_resource: str,
    permissions: Sequence[str],
) -> TokenSource:
    """The token source for an account's secret (MSAL sign-in or a bare access token)."""
    if secret is None or not secret:
        raise AuthError("no sign-in is stored for this account", code="no_secret")
    reference = parse_reference(secret)
    if reference is None:
        return StaticToken(secret, clock)
    settings = EntraSettings.from_account(
        account, default_resource=default_resource, permissions=permissions
    )
    return MsalTokens(settings, reference, backends)


def interactive_login(
    method: LoginMethod,
    account: AccountConfig,
    backends: Mapping[str, Any],
    ui: LoginUI,
    *,
    default_resource: str,
    permissions: Sequence[str],
) -> Secret:
    """Sign in with the system browser (PKCE, loopback redirect) or a device code.

    Returns the account reference to keep in the keyring; the tokens stay in the MSAL cache.
    """
    settings = EntraSettings.from_account(
        account, default_resource=default_resource, permissions=permissions
    )
    cache = open_token_cache(settings, backends, warn=ui.warn)
    app = build_app(settings, cache)
    scopes = list(settings.scopes)
    try:
        if method is LoginMethod.BROWSER:
            # MSAL opens the system browser itself, listens on http://localhost:<free port> and
            # adds PKCE; the callback only runs when no browser could be started.
            result = app.acquire_token_interactive(
                scopes, timeout=LOGIN_TIMEOUT_S, auth_uri_callback=ui.open_url
            )
        elif method is LoginMethod.DEVICE:
            flow = app.initiate_device_flow(scopes=scopes)
            if "user_code" not in flow:
                raise _failure(flow, "device sign-in")
            ui.show_device_code(
                str(flow.get("message") or ""),
                str(flow.get("verification_uri") or ""),
                str(flow["user_code"]),
            )
            result = app.acquire_token_by_device_flow(
                flow,
                exit_condition=lambda f: ui.cancelled() or f.get("expires_at", 0) < time.time(),
            )
        else:
            raise ConfigurationError(f"Microsoft accounts cannot sign in with {method.value!r}")
    except requests.exceptions.RequestException as exc:
        raise NetworkError(
            f"the sign-in service cannot be reached ({type(exc).__name__})"
        ) from None
    if not result or "access_token" not in result:
        raise _failure(result, "sign-in")
    claims = result.get("id_token_claims") or {}
    username = claims.get("preferred_username")
    accounts = app.get_accounts()
    chosen = next(
        (a for a in accounts if a.get("local_account_id") == claims.get("oid")),
        next((a for a in accounts if username and a.get("username") == username), None),
    )
    if chosen is None:
        raise AuthError("the sign-in succeeded but left no account in the cache", code="signin")
    return account_reference(str(chosen["home_account_id"]), username)
