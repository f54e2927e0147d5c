"""Secrets in the operating system's keyring: the only module that imports ``keyring``.

Nothing here falls back to a plaintext file by itself. When no usable keyring exists, the caller
gets a :class:`CredentialError` with a message that says what to do; choosing another backend is
the user's explicit act (``PYTHON_KEYRING_BACKEND``, honoured by keyring itself).
"""

from __future__ import annotations

import logging

import keyring
import keyring.errors

from cm_console.domain.model import Secret

log = logging.getLogger(__name__)

SERVICE = "cm-console"


class CredentialError(Exception):
    """The keyring cannot store or give back a secret; the message says why and what to do."""


def _explain(exc: Exception) -> str:
    if isinstance(exc, keyring.errors.NoKeyringError):
        return (
            "no system keyring is available (on Linux: install and unlock a Secret Service such "
            "as GNOME Keyring or KWallet, or choose a backend with PYTHON_KEYRING_BACKEND)"
        )
    if isinstance(exc, keyring.errors.KeyringLocked):
        return "the system keyring is locked; unlock it and try again"
    if isinstance(exc, keyring.errors.PasswordSetError):
        return f"the system keyring refused to store the secret ({type(exc).__name__})"
    return f"the system keyring failed ({type(exc).__name__})"


def _key(account: str) -> str:
    return f"account:{account}"


class Credentials:
    """Account secrets, one keyring entry per account name."""

    def __init__(self, service: str = SERVICE) -> None:
        self._service = service

    def backend_name(self) -> str:
        backend = keyring.get_keyring()
        return f"{type(backend).__module__}.{type(backend).__name__}"

    def store(self, account: str, secret: Secret) -> None:
        """Save the secret for ``account`` (replacing any earlier one).

        The secret is read back: a backend that accepts it and keeps nothing (keyring's ``null``
        backend) would otherwise lose it silently, and the account would fail at its first sync.
        """
        try:
            keyring.set_password(self._service, _key(account), secret.reveal())
            kept = keyring.get_password(self._service, _key(account))
        except keyring.errors.KeyringError as exc:
            raise CredentialError(_explain(exc)) from None
        if kept != secret.reveal():
            raise CredentialError(
                f"the keyring ({self.backend_name()}) did not keep the secret; choose one that "
                "does with PYTHON_KEYRING_BACKEND"
            )
        log.info("stored the secret for account %r in %s", account, self.backend_name())

    def load(self, account: str) -> Secret | None:
        """The secret for ``account``, or None when none is stored."""
        try:
            value = keyring.get_password(self._service, _key(account))
        except keyring.errors.KeyringError as exc:
            raise CredentialError(_explain(exc)) from None
        return None if value is None else Secret(value)

    def delete(self, account: str) -> None:
        """Forget the secret for ``account`` (no error when there is none)."""
        try:
            keyring.delete_password(self._service, _key(account))
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise CredentialError(_explain(exc)) from None
