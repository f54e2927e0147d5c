"""Keyring backends that behave like the broken systems users have (reliability reference §3).

They are real ``keyring`` backends, loaded by name through ``PYTHON_KEYRING_BACKEND`` or handed
to :class:`cm_console.credentials.KeyringStore`, so the console's own code runs unchanged.
"""

from __future__ import annotations

import threading

import keyring.backend
import keyring.errors

RELEASE = threading.Event()
"""Set to let a :class:`HangingKeyring` call return (tests release it when they end)."""


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Keeps secrets in a dict (the base for the misbehaving ones)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        if self.values.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


class LockedKeyring(MemoryKeyring):
    """A Secret Service whose collection stays locked (the unlock prompt was dismissed)."""

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("Failed to unlock the collection!")


class HangingKeyring(MemoryKeyring):
    """A keyring waiting for an unlock prompt nobody can see (an SSH session)."""

    def get_password(self, service: str, username: str) -> str | None:
        RELEASE.wait(60)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        RELEASE.wait(60)

    def delete_password(self, service: str, username: str) -> None:
        RELEASE.wait(60)


class CredWriteError(Exception):
    """Shaped like ``pywintypes.error``: (winerror, funcname, strerror)."""


class WindowsLimitKeyring(MemoryKeyring):
    """The Windows Credential Manager: a blob of at most 2,560 bytes of UTF-16."""

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password.encode("utf-16-le")) > 2560:
            raise CredWriteError(1783, "CredWrite", "The stub received bad data.")
        super().set_password(service, username, password)


class BrokenKeyring(MemoryKeyring):
    """A backend failing with an error that quotes what it was given."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"D-Bus error while storing {password!r}")
