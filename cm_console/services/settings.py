"""Workspace settings the window edits: app settings, saved replies, console users."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from cm_console import config
from cm_console.domain.model import LocalUser
from cm_console.domain.views import SavedReply
from cm_console.services.accounts import UsageError
from cm_console.store import Store


class SettingsService:
    """Settings stored in the database (shared by every console in team mode)."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    def app(self) -> dict[str, Any]:
        """Every app setting with its effective value."""
        stored = self._store.settings.get_all()
        out: dict[str, Any] = {}
        for setting in config.APP_SETTINGS:
            raw = stored.get(setting.key)
            out[setting.key] = setting.parse(str(raw)) if raw is not None else setting.default
        return out

    def set_app(self, key: str, raw: str) -> None:
        setting = config.ALL_SETTINGS.get(key)
        if setting is None or config.Scope.APP not in setting.scopes:
            raise UsageError(f"unknown setting {key!r}")
        try:
            value = setting.parse(raw)
        except config.SettingError as exc:
            raise UsageError(str(exc)) from None
        self._store.settings.set_many({key: setting.format(value)})

    def app_raw(self, key: str) -> Any:
        """A stored JSON value that is not a declared setting (saved views), or None."""
        return self._store.settings.get_all().get(key)

    def set_app_raw(self, key: str, value: Any) -> None:
        if key in config.ALL_SETTINGS:
            raise UsageError(f"{key} is a declared setting; use set_app")
        self._store.settings.set_many({key: value})

    def saved_replies(self) -> list[SavedReply]:
        return self._store.saved_replies.all()

    def save_reply(self, name: str, language: str, body: str, reply_id: int | None = None) -> int:
        if not name.strip() or not body.strip():
            raise UsageError("a saved reply needs a name and a text")
        return self._store.saved_replies.save(name.strip(), language, body, reply_id)

    def delete_reply(self, reply_id: int) -> None:
        self._store.saved_replies.delete(reply_id)

    def users(self) -> list[LocalUser]:
        return self._store.users.all()
