"""Use cases for platform accounts: add (with a connection test), list, remove, build connectors."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from cm_console import config
from cm_console.connectors.base import (
    AccountConfig,
    Connector,
    ConnectorContext,
    LoginMethod,
    LoginResult,
    LoginUI,
)
from cm_console.connectors.errors import ConnectorError
from cm_console.connectors.registry import Registry, UnknownPlatform
from cm_console.credentials import CredentialError, Credentials
from cm_console.domain.calendar import BusinessHours, CalendarError, zone
from cm_console.domain.model import Account, Page, Person, Secret
from cm_console.store import Store
from cm_console.store.sync_state import SyncStatus

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class UsageError(ValueError):
    """Input that cannot work (the CLI exits with 2)."""


class ServiceError(Exception):
    """An operation that failed; nothing was changed (the CLI exits with 1)."""


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_url(url: str) -> str:
    """A platform URL: https, or http only for a loopback address."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"{url!r} is not an http(s) URL")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise UsageError(f"{url!r}: plain http is only accepted for loopback addresses; use https")
    if parts.username or parts.password:
        raise UsageError("put credentials in --token-env or the prompt, never in the URL")
    return url.strip()


def validate_options(
    options: Mapping[str, str], connector: type[Connector], scope: config.Scope
) -> dict[str, str]:
    """Check ``KEY=VALUE`` options: declared settings parse, connector options are known."""
    known = {o.key: o for o in connector.info.options}
    out: dict[str, str] = {}
    for key, value in options.items():
        setting = config.ALL_SETTINGS.get(key)
        if setting is not None:
            if scope not in setting.scopes:
                raise UsageError(f"{key} cannot be set per {scope.value}")
            try:
                parsed = setting.parse(value)
            except config.SettingError as exc:
                raise UsageError(str(exc)) from None
            out[key] = setting.format(parsed)
        elif key in known:
            spec = known[key]
            if spec.choices and value not in spec.choices:
                raise UsageError(f"{key}: expected one of {', '.join(spec.choices)}")
            out[key] = value
        else:
            names = sorted([*(s.key for s in config.ACCOUNT_SETTINGS), *known])
            raise UsageError(f"unknown option {key!r} (known: {', '.join(names)})")
    try:
        tz = zone(out.get("timezone", "") or config.system_timezone_name())
        if "business_hours" in out:
            BusinessHours.parse(out["business_hours"], tz)
    except CalendarError as exc:
        raise UsageError(str(exc)) from None
    return out


@dataclass(frozen=True, slots=True)
class AccountOverview:
    """An account with its sync state, for ``account list`` and the status bar."""

    account: Account
    display_name: str
    sync: SyncStatus | None
    pending_ops: int


class ConnectorFactory:
    """Builds connectors for accounts: the registry, the keyring and the backends in one place."""

    def __init__(
        self,
        registry: Registry,
        credentials: Credentials,
        clock: Callable[[], datetime],
        backends: Mapping[str, Any],
    ) -> None:
        self.registry = registry
        self._credentials = credentials
        self._clock = clock
        self._backends = dict(backends)

    def connector_class(self, platform: str) -> type[Connector]:
        try:
            return self.registry.get(platform)
        except UnknownPlatform as exc:
            raise UsageError(str(exc)) from None

    def build(self, account: Account, secret: Secret | None = None) -> Connector:
        """A connector for a stored account, with its secret from the keyring."""
        cls = self.connector_class(account.platform)
        if secret is None and cls.info.needs_secret:
            try:
                secret = self._credentials.load(account.name)
            except CredentialError as exc:
                raise ServiceError(f"{account.name}: {exc}") from None
            if secret is None:
                raise ServiceError(
                    f"{account.name}: no secret in the keyring; remove and add the account again"
                )
        return self.instantiate(
            cls,
            AccountConfig(
                name=account.name,
                url=account.url,
                username=account.username,
                options={k: str(v) for k, v in account.options.items()},
                own_remote_id=account.own_person_remote_id,
            ),
            secret,
            lambda new: self._credentials.store(account.name, new),
        )

    def login(
        self, cls: type[Connector], method: LoginMethod, account: AccountConfig, ui: LoginUI
    ) -> LoginResult:
        """Run the platform's own sign-in (system browser or device code) for ``account``."""
        context = ConnectorContext(clock=self._clock, backends=self._backends)
        return cls.interactive_login(method, account, context, ui)

    def instantiate(
        self,
        cls: type[Connector],
        account: AccountConfig,
        secret: Secret | None,
        save_secret: Callable[[Secret], None],
    ) -> Connector:
        """A connector from its settings (also for accounts not saved yet)."""
        return cls(
            account,
            ConnectorContext(
                secret=secret, clock=self._clock, backends=self._backends, save_secret=save_secret
            ),
        )


class AccountService:
    """Adding, listing and removing platform accounts."""

    def __init__(
        self,
        store: Store,
        credentials: Credentials,
        factory: ConnectorFactory,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._credentials = credentials
        self.factory = factory
        self._clock = clock

    def add(
        self,
        *,
        platform: str,
        name: str,
        url: str | None = None,
        user: str | None = None,
        secret: Secret | None = None,
        options: Mapping[str, str] | None = None,
        login: LoginMethod | None = None,
        login_ui: LoginUI | None = None,
        test_connection: bool = True,
    ) -> Account:
        """Validate, test the connection, keep the secret in the keyring, then save the account.

        With ``login`` ``browser`` or ``device`` and no secret, the connector's own sign-in runs
        through ``login_ui`` first. Nothing is stored unless every step succeeds.
        """
        if not _NAME.match(name):
            raise UsageError(
                f"account name {name!r}: use letters, digits, '.', '_' or '-' (no '/')"
            )
        cls = self.factory.connector_class(platform)
        info = cls.info
        if self._store.accounts.get(name) is not None:
            raise UsageError(f"an account named {name!r} already exists")
        if login is not None and login not in info.login_methods:
            methods = ", ".join(m.value for m in info.login_methods)
            raise UsageError(f"{info.display_name} signs in with: {methods}")
        if info.url_label is None:
            url = None
        else:
            url = url or info.default_url
            if not url:
                raise UsageError(f"{info.display_name} needs --url ({info.url_label})")
            url = check_url(url)
        if info.user_label is None:
            user = None
        elif not user and info.user_label and info.user_required:
            raise UsageError(f"{info.display_name} needs --user ({info.user_label})")
        clean = validate_options(dict(options or {}), cls, config.Scope.ACCOUNT)
        if secret is None and login in (LoginMethod.BROWSER, LoginMethod.DEVICE):
            if login_ui is None:
                raise UsageError(f"--login {login.value} needs someone to sign in interactively")
            try:
                pending = AccountConfig(name=name, url=url, username=user, options=clean)
                signed_in = self.factory.login(cls, login, pending, login_ui)
            except ConnectorError as exc:
                raise ServiceError(f"{name}: {exc}") from None
            secret = signed_in.secret
            user = signed_in.username or user
            clean = validate_options({**clean, **signed_in.options}, cls, config.Scope.ACCOUNT)
        if info.needs_secret and secret is None:
            raise UsageError(f"{info.display_name} needs a secret ({info.secret_label})")
        now = self._clock()
        refreshed: list[Secret] = []
        me = None
        if test_connection:
            connector = self.factory.instantiate(
                cls,
                AccountConfig(name=name, url=url, username=user, options=clean),
                secret,
                refreshed.append,
            )
            try:
                me = connector.whoami()
            except ConnectorError as exc:
                raise ServiceError(f"{name}: {exc}") from None
            finally:
                connector.close()
        final_secret = refreshed[-1] if refreshed else secret
        if info.needs_secret and final_secret is not None:
            try:
                self._credentials.store(name, final_secret)
            except CredentialError as exc:
                raise ServiceError(f"{name}: {exc}") from None
        try:
            account = self._store.accounts.add(
                name=name,
                platform=platform,
                platform_kind=info.kind,
                url=url,
                username=user,
                options=clean,
                now=now,
            )
        except Exception:
            if info.needs_secret:
                self._credentials.delete(name)
            raise
        if me is not None:
            self._store.accounts.set_own_person(account.id, me.remote_id)
            self._store.ingest.page(
                account.id, Page(scope="~me", cursor={"id": me.remote_id}, people=(me,)), now
            )
            self._store.recompute_account(account.id)
            account = self._store.accounts.by_id(account.id) or account
        return account

    def get(self, name: str) -> Account:
        account = self._store.accounts.get(name)
        if account is None:
            raise ServiceError(f"no account named {name!r}")
        return account

    def overview(self) -> list[AccountOverview]:
        status = {s.account_id: s for s in self._store.sync_state.status(self._clock())}
        out = []
        for account in self._store.accounts.all():
            try:
                display = self.factory.connector_class(account.platform).info.display_name
            except UsageError:
                display = account.platform
            out.append(
                AccountOverview(
                    account=account,
                    display_name=display,
                    sync=status.get(account.id),
                    pending_ops=self._store.outbox.pending_for_account(account.id),
                )
            )
        return out

    def remove(self, name: str) -> None:
        """Forget the account, everything synced for it and its secret."""
        account = self.get(name)
        self._store.accounts.remove(account.name)
        try:
            self._credentials.delete(account.name)
        except CredentialError as exc:
            raise ServiceError(f"{name} was removed, but its secret could not be: {exc}") from None

    def update_options(self, name: str, options: Mapping[str, str]) -> Account:
        """Change settings (thresholds, team…); facts are recomputed locally, nothing re-fetched."""
        account = self.get(name)
        cls = self.factory.connector_class(account.platform)
        clean = validate_options(dict(options), cls, config.Scope.ACCOUNT)
        merged = {**account.options, **clean}
        self._store.accounts.set_options(account.id, merged)
        self._store.recompute_account(account.id)
        return self.get(name)

    def update_container_options(
        self, account_name: str, container_id: int, options: Mapping[str, str]
    ) -> None:
        account = self.get(account_name)
        cls = self.factory.connector_class(account.platform)
        clean = validate_options(dict(options), cls, config.Scope.CONTAINER)
        containers = {c.id: c for c in self._store.accounts.containers(account.id)}
        if container_id not in containers:
            raise ServiceError(f"no community {container_id} in {account_name}")
        merged = {**containers[container_id].options, **clean}
        self._store.accounts.set_container_options(container_id, merged)
        self._store.recompute_account(account.id)

    def find_person(self, account_name: str, handle: str) -> Person:
        """A colleague on an account by handle, id or name; a usage error when unknown."""
        account = self.get(account_name)
        person = self._store.accounts.find_person(account.id, handle)
        if person is None:
            raise UsageError(f"no colleague {handle!r} on {account_name}")
        return person

    def test_connection(self, name: str) -> str:
        """Sign in and return the account's own display name."""
        account = self.get(name)
        try:
            connector = self.factory.build(account)
            try:
                return connector.whoami().display_name
            finally:
                connector.close()
        except (ConnectorError, CredentialError) as exc:
            raise ServiceError(f"{name}: {exc}") from None
