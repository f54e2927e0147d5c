"""Finding connectors: every one (built-in or third-party) comes from the entry-point group."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from importlib.metadata import entry_points

from cm_console.connectors.base import Connector

log = logging.getLogger(__name__)

GROUP = "cm_console.connectors"


class UnknownPlatform(LookupError):
    """No connector with that id is installed."""


class Registry:
    """The installed connectors by id (loaded once, from ``cm_console.connectors``)."""

    def __init__(self, connectors: Mapping[str, type[Connector]] | None = None) -> None:
        self._connectors = dict(connectors) if connectors is not None else _load()

    def ids(self) -> list[str]:
        return sorted(self._connectors)

    def get(self, platform: str) -> type[Connector]:
        try:
            return self._connectors[platform]
        except KeyError:
            known = ", ".join(self.ids()) or "none"
            raise UnknownPlatform(f"no connector for {platform!r} (installed: {known})") from None

    def items(self) -> list[tuple[str, type[Connector]]]:
        return sorted(self._connectors.items())


def _load() -> dict[str, type[Connector]]:
    found: dict[str, type[Connector]] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception:  # a broken plug-in must not take the console down
            log.exception("could not load connector %r from %s", ep.name, ep.value)
            continue
        if not (isinstance(cls, type) and issubclass(cls, Connector)):
            log.error("entry point %r (%s) is not a Connector subclass", ep.name, ep.value)
            continue
        if cls.info.id != ep.name:
            log.error("entry point %r names a connector with id %r", ep.name, cls.info.id)
            continue
        found[ep.name] = cls
    return found
