"""Finding connectors: every one (built-in or third-party) comes from the entry-point group.

Connectors are imported when first asked for, not at start-up: some pull in heavy libraries
(MSAL, cryptography), and a console with one demo account should not pay for all of them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib.metadata import EntryPoint, entry_points

from cm_console.connectors.base import Connector

log = logging.getLogger(__name__)

GROUP = "cm_console.connectors"


class UnknownPlatform(LookupError):
    """No connector with that id is installed."""


class Registry:
    """The installed connectors by id (from ``cm_console.connectors``), loaded on demand."""

    def __init__(self, connectors: Mapping[str, type[Connector]] | None = None) -> None:
        self._loaded: dict[str, type[Connector]] = dict(connectors or {})
        self._entry_points: dict[str, EntryPoint] = (
            {} if connectors is not None else {ep.name: ep for ep in entry_points(group=GROUP)}
        )
        self._broken: set[str] = set()

    def ids(self) -> list[str]:
        """Every installed connector id (without importing them)."""
        return sorted((set(self._loaded) | set(self._entry_points)) - self._broken)

    def get(self, platform: str) -> type[Connector]:
        cls = self._loaded.get(platform)
        if cls is None and platform in self._entry_points and platform not in self._broken:
            cls = self._load(self._entry_points[platform])
        if cls is None:
            known = ", ".join(self.ids()) or "none"
            raise UnknownPlatform(f"no connector for {platform!r} (installed: {known})")
        return cls

    def items(self) -> list[tuple[str, type[Connector]]]:
        """Every connector class (imports them all: for the accounts dialog)."""
        out = []
        for platform in self.ids():
            try:
                out.append((platform, self.get(platform)))
            except UnknownPlatform:
                continue
        return out

    def _load(self, ep: EntryPoint) -> type[Connector] | None:
        try:
            cls = ep.load()
        except Exception:  # a broken plug-in must not take the console down
            log.exception("could not load connector %r from %s", ep.name, ep.value)
            self._broken.add(ep.name)
            return None
        if not (isinstance(cls, type) and issubclass(cls, Connector)):
            log.error("entry point %r (%s) is not a Connector subclass", ep.name, ep.value)
            self._broken.add(ep.name)
            return None
        if cls.info.id != ep.name:
            log.error("entry point %r names a connector with id %r", ep.name, cls.info.id)
            self._broken.add(ep.name)
            return None
        self._loaded[ep.name] = cls
        return cls
