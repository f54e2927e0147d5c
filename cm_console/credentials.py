"""Where account secrets live: the only module that imports ``keyring``.

Secrets go to the operating system's keyring. Nothing here ever falls back to another place by
itself: when the keyring is missing, locked, hangs, refuses a secret that is too large, or is a
backend not known to encrypt (keyrings.alt's plaintext file, picked automatically when nothing
better exists), the caller gets a :class:`CredentialError` whose ``problem`` says what happened.
The user then chooses, explicitly, one of two other places:

- **session** — secrets kept in memory for this run only (and, for scripts, read from
  ``CM_CONSOLE_SECRET_<ACCOUNT>`` environment variables); nothing is written anywhere;
- **encrypted-file** — one file in the profile, encrypted with a key derived from a passphrase
  (scrypt, then Fernet: AES-128-CBC with an HMAC-SHA256, both from PyCA ``cryptography``).

The command line chooses with ``CM_CONSOLE_CREDENTIALS``; the window asks with a dialog.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import logging
import os
import re
import threading
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from cm_console.domain.model import Secret

if TYPE_CHECKING:
    import keyring.backend
    from cryptography.fernet import Fernet

# ``keyring`` and ``cryptography`` are imported when a secret is first needed: opening the
# window does not wait for them.

log = logging.getLogger(__name__)

SERVICE = "cm-console"
ENV_STORAGE = "CM_CONSOLE_CREDENTIALS"
"""``keyring`` (the default), ``session`` or ``encrypted-file``."""
ENV_PASSPHRASE = "CM_CONSOLE_PASSPHRASE"  # noqa: S105 - a variable name
"""The encrypted file's passphrase, for scripts (the command line prompts when it is not set)."""
ENV_SECRET_PREFIX = "CM_CONSOLE_SECRET_"  # noqa: S105 - a variable name
"""With session storage: ``CM_CONSOLE_SECRET_<ACCOUNT>`` gives an account's secret for one run."""
ENCRYPTED_FILE_NAME = "credentials.enc"
KEYRING_TIMEOUT = 10.0
"""A keyring call that takes longer is waiting on a prompt nobody will answer."""
WINDOWS_BLOB_LIMIT = 2560
"""``CRED_MAX_CREDENTIAL_BLOB_SIZE``: the Windows Credential Manager's limit, in bytes (UTF-16)."""

# Backends that keep secrets encrypted by the operating system. Any other backend (keyrings.alt,
# third-party packages) is used only when the user chose it explicitly.
_SECURE_BACKENDS = (
    "keyring.backends.SecretService.",
    "keyring.backends.libsecret.",
    "keyring.backends.kwallet.",
    "keyring.backends.macOS.",
    "keyring.backends.Windows.WinVaultKeyring",
)
_NO_STORAGE = ("keyring.backends.fail.", "keyring.backends.null.")


class Storage(StrEnum):
    """Where secrets are kept."""

    KEYRING = "keyring"
    SESSION = "session"
    ENCRYPTED_FILE = "encrypted-file"


class Problem(StrEnum):
    """Why a secret could not be stored or read."""

    UNAVAILABLE = "unavailable"
    """No keyring (no Secret Service, keyring disabled)."""
    INSECURE = "insecure"
    """Only a backend not known to encrypt was found, and nobody chose it."""
    LOCKED = "locked"
    TIMEOUT = "timeout"
    """The keyring did not answer (an unlock prompt nobody can see)."""
    TOO_LARGE = "too_large"
    """The secret is larger than the keyring takes (Windows: 2,560 bytes)."""
    PASSPHRASE = "passphrase"  # noqa: S105 - a problem code
    """The encrypted file's passphrase is missing or wrong."""
    FAILED = "failed"


CHOICE_PROBLEMS = frozenset(
    {Problem.UNAVAILABLE, Problem.INSECURE, Problem.LOCKED, Problem.TIMEOUT, Problem.TOO_LARGE}
)
"""Problems the user can get around by choosing session or encrypted-file storage."""

CHOICE_HINT = (
    f"to go on without the system keyring, set {ENV_STORAGE}=session (secrets kept in memory "
    f"for this run only; scripts pass them as {ENV_SECRET_PREFIX}<ACCOUNT>) or "
    f"{ENV_STORAGE}=encrypted-file (a file in the profile encrypted with a passphrase, "
    f"asked for or read from {ENV_PASSPHRASE})"
)


class CredentialError(Exception):
    """A secret cannot be stored or given back; the message says why and what to do."""

    def __init__(self, message: str, problem: Problem = Problem.FAILED) -> None:
        super().__init__(message)
        self.problem = problem

    @property
    def offers_choice(self) -> bool:
        """True when choosing session or encrypted-file storage gets around the problem."""
        return self.problem in CHOICE_PROBLEMS


def _with_hint(message: str, problem: Problem) -> CredentialError:
    if problem in CHOICE_PROBLEMS:
        message = f"{message}; {CHOICE_HINT}"
    return CredentialError(message, problem)


def _key(account: str) -> str:
    return f"account:{account}"


def secret_variable(account: str) -> str:
    """The environment variable that gives ``account``'s secret with session storage."""
    return ENV_SECRET_PREFIX + re.sub(r"[^A-Za-z0-9]", "_", account).upper()


class SecretStore(Protocol):
    """One place secrets can live."""

    kind: Storage

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...
    def describe(self) -> str: ...


# --- the system keyring --------------------------------------------------------------------------


def _class_path(backend: object) -> str:
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def _is_secure(backend: object) -> bool:
    return _class_path(backend).startswith(_SECURE_BACKENDS)


def _explicitly_chosen() -> bool:
    """True when the user named a keyring backend (``PYTHON_KEYRING_BACKEND`` or keyringrc)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND", "").strip():
        return True
    import keyring.core  # noqa: PLC0415 - see the imports

    try:
        return keyring.core.load_config() is not None
    except Exception:  # noqa: BLE001 - a broken keyringrc is no choice
        return False


def _windows_limited(backend: object) -> bool:
    return _class_path(backend).startswith("keyring.backends.Windows.")


def _looks_too_large(exc: BaseException) -> bool:
    text = f"{exc!r} {exc}".lower()
    return "1783" in text or "stub received bad data" in text or "too large" in text


class KeyringStore:
    """The operating system's keyring, through ``keyring``, with a timeout on every call.

    Args:
        service: the keyring service name.
        backend: a keyring backend (None: the one ``keyring`` selects).
        timeout: seconds before a call counts as hung.
        explicit: whether the user chose the backend (None: told by the environment).
    """

    kind = Storage.KEYRING

    def __init__(
        self,
        service: str = SERVICE,
        *,
        backend: keyring.backend.KeyringBackend | None = None,
        timeout: float = KEYRING_TIMEOUT,
        explicit: bool | None = None,
    ) -> None:
        self._service = service
        self._backend = backend
        self._timeout = timeout
        self._explicit = explicit
        self._hung: threading.Thread | None = None
        self._warned = False

    def backend(self) -> Any:
        """The backend in use; raises :class:`CredentialError` when it keeps nothing safe."""
        if self._backend is not None:
            chosen = self._backend
        else:
            import keyring  # noqa: PLC0415 - see the imports

            try:
                chosen = keyring.get_keyring()
            except Exception as exc:  # noqa: BLE001 - keyring imports whatever the user named
                # PYTHON_KEYRING_BACKEND or keyringrc can name a module that is not installed
                # (the built app bundles only the platform's own backends).
                raise CredentialError(
                    f"the keyring backend that was chosen cannot be loaded "
                    f"({type(exc).__name__}: {exc}); check PYTHON_KEYRING_BACKEND or keyringrc",
                    Problem.UNAVAILABLE,
                ) from None
        path = _class_path(chosen)
        members = getattr(chosen, "backends", None)
        if path.startswith("keyring.backends.chainer.") and isinstance(members, list):
            # A chain reads from every member and writes to the first: keep the secure ones only.
            secure = [b for b in members if _is_secure(b)]
            if secure:
                return secure[0]
            chosen = members[0] if members else chosen
            path = _class_path(chosen)
        if path.startswith(_NO_STORAGE):
            raise _with_hint(
                "no system keyring is available (on Linux: install and unlock a Secret Service "
                "such as GNOME Keyring or KWallet)",
                Problem.UNAVAILABLE,
            )
        if not _is_secure(chosen):
            explicit = _explicitly_chosen() if self._explicit is None else self._explicit
            if not explicit:
                raise _with_hint(
                    f"the only keyring found ({path}) is not known to encrypt secrets, and "
                    "cm-console never falls back to it by itself (choose it with "
                    "PYTHON_KEYRING_BACKEND if you trust it)",
                    Problem.INSECURE,
                )
            if not self._warned:
                self._warned = True
                log.warning("using the keyring backend %s because it was chosen explicitly", path)
        return chosen

    def describe(self) -> str:
        try:
            return f"the system keyring ({_class_path(self.backend())})"
        except CredentialError:
            return "the system keyring (unavailable)"

    def get(self, key: str) -> str | None:
        backend = self.backend()
        value = self._call(lambda: backend.get_password(self._service, key), None)
        return value if isinstance(value, str) else None

    def set(self, key: str, value: str) -> None:
        backend = self.backend()
        if _windows_limited(backend) and len(value.encode("utf-16-le")) > WINDOWS_BLOB_LIMIT:
            raise self._too_large(value)
        self._call(lambda: backend.set_password(self._service, key, value), value)

    def delete(self, key: str) -> None:
        import keyring.errors  # noqa: PLC0415 - see the imports

        backend = self.backend()
        self._call(
            lambda: backend.delete_password(self._service, key),
            None,
            ignore=keyring.errors.PasswordDeleteError,
        )

    def _too_large(self, value: str) -> CredentialError:
        return _with_hint(
            f"the secret is too large for the system keyring ({len(value.encode('utf-16-le'))} "
            f"bytes; the Windows Credential Manager takes at most {WINDOWS_BLOB_LIMIT})",
            Problem.TOO_LARGE,
        )

    def _call(
        self,
        work: Callable[[], Any],
        value: str | None,
        *,
        ignore: type[BaseException] | None = None,
    ) -> Any:
        if self._hung is not None and self._hung.is_alive():
            raise _with_hint(
                "the system keyring is still not answering an earlier request", Problem.TIMEOUT
            )
        result: list[Any] = []
        failure: list[BaseException] = []

        def run() -> None:
            try:
                result.append(work())
            except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
                failure.append(exc)

        # A daemon thread: a keyring stuck on an invisible unlock prompt must not keep the
        # process alive, nor the caller waiting for ever.
        worker = threading.Thread(target=run, name="keyring-call", daemon=True)
        worker.start()
        worker.join(self._timeout)
        if worker.is_alive():
            self._hung = worker
            raise _with_hint(
                f"the system keyring did not answer within {self._timeout:g} s (is it waiting "
                "for an unlock prompt nobody can see?)",
                Problem.TIMEOUT,
            )
        if failure:
            if ignore is not None and isinstance(failure[0], ignore):
                return None
            # Not chained: a backend's exception may quote the secret it was given.
            raise self._explain(failure[0], value) from None
        return result[0] if result else None

    def _explain(self, exc: BaseException, value: str | None) -> CredentialError:
        import keyring.errors  # noqa: PLC0415 - see the imports

        if isinstance(exc, keyring.errors.NoKeyringError):
            return _with_hint(
                "no system keyring is available (on Linux: install and unlock a Secret Service "
                "such as GNOME Keyring or KWallet)",
                Problem.UNAVAILABLE,
            )
        if isinstance(exc, keyring.errors.KeyringLocked):
            return _with_hint(
                "the system keyring is locked; unlock it and try again", Problem.LOCKED
            )
        if isinstance(exc, keyring.errors.InitError):
            # Secret Service: the default collection could not be unlocked or created (its
            # prompt was dismissed, or cannot be shown in this session).
            return _with_hint(
                "the system keyring could not be opened (locked, and its unlock prompt was "
                "dismissed or cannot be shown); unlock it and try again",
                Problem.LOCKED,
            )
        if value is not None and _looks_too_large(exc):
            return self._too_large(value)
        if isinstance(exc, keyring.errors.PasswordSetError):
            return CredentialError(
                f"the system keyring refused to store the secret ({type(exc).__name__})"
            )
        if isinstance(exc, keyring.errors.PasswordDeleteError):
            return CredentialError("the system keyring has no such secret")
        # Only the type: a backend's message may quote what it was given.
        return CredentialError(f"the system keyring failed ({type(exc).__name__})")


# --- session only --------------------------------------------------------------------------------


class SessionStore:
    """Secrets in memory for this run only; scripts may pass them as environment variables."""

    kind = Storage.SESSION

    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._values: dict[str, str] = {}
        self._environ = dict(environ or {})
        self._lock = threading.Lock()

    def describe(self) -> str:
        return "memory, for this session only"

    def remember(self, account: str, secret: Secret) -> None:
        """Keep ``account``'s secret until the program ends."""
        self.set(_key(account), secret.reveal())

    def get(self, key: str) -> str | None:
        with self._lock:
            if key in self._values:
                return self._values[key]
        if key.startswith("account:"):
            value = self._environ.get(secret_variable(key.removeprefix("account:")))
            return value or None
        return None

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._values[key] = value

    def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)


# --- an encrypted file ---------------------------------------------------------------------------

_FORMAT = "cm-console-secrets"
_SCRYPT_N = 2**15
_SCRYPT_R = 8
_SCRYPT_P = 1

PassphraseSource = Callable[[bool], str | None]
"""Asked for the passphrase; the argument is True when a new file is being created."""


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> Fernet:
    from cryptography.fernet import Fernet  # noqa: PLC0415 - see the imports
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt  # noqa: PLC0415

    kdf = Scrypt(salt=salt, length=32, n=n, r=r, p=p)
    return Fernet(base64.urlsafe_b64encode(kdf.derive(passphrase.encode("utf-8"))))


class EncryptedFileStore:
    """One file of secrets, encrypted with a key derived from a passphrase.

    The file holds a random salt, the scrypt parameters and one Fernet token (AES-128-CBC with
    an HMAC-SHA256 over it) of a JSON object of secrets. It is written atomically with mode 0600.
    The passphrase is asked for once, when the first secret is needed; only the derived key is
    kept in memory.
    """

    kind = Storage.ENCRYPTED_FILE

    def __init__(self, path: Path, passphrase: PassphraseSource) -> None:
        self.path = path
        self._passphrase = passphrase
        self._lock = threading.Lock()
        self._fernet: Fernet | None = None
        self._salt = b""
        self._values: dict[str, str] = {}

    def describe(self) -> str:
        return f"the encrypted file {self.path}"

    def _ask(self, creating: bool) -> str:
        phrase = self._passphrase(creating)
        if phrase is None:
            raise CredentialError(
                f"the passphrase for {self.path} is needed (set {ENV_PASSPHRASE} for scripts)",
                Problem.PASSPHRASE,
            )
        if not phrase:
            raise CredentialError("an empty passphrase protects nothing", Problem.PASSPHRASE)
        return phrase

    def _unlock(self) -> None:
        if self._fernet is not None:
            return
        if not self.path.exists():
            self._salt = os.urandom(16)
            self._fernet = _derive(self._ask(True), self._salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)
            self._values = {}
            return
        try:
            head = json.loads(self.path.read_text(encoding="utf-8"))
            if head.get("format") != _FORMAT or head.get("version") != 1:
                raise ValueError("unknown format")
            kdf = head["kdf"]
            salt = base64.b64decode(kdf["salt"], validate=True)
            n, r, p = int(kdf["n"]), int(kdf["r"]), int(kdf["p"])
            token = str(head["data"]).encode("ascii")
        except (OSError, ValueError, KeyError, TypeError, binascii.Error) as exc:
            raise CredentialError(
                f"{self.path} is not a cm-console secrets file ({type(exc).__name__})"
            ) from None
        fernet = _derive(self._ask(False), salt, n, r, p)
        from cryptography.fernet import InvalidToken  # noqa: PLC0415 - see the imports

        try:
            values = json.loads(fernet.decrypt(token).decode("utf-8"))
        except InvalidToken:
            raise CredentialError(
                f"wrong passphrase for {self.path} (or the file was altered)", Problem.PASSPHRASE
            ) from None
        if not isinstance(values, dict):
            raise CredentialError(f"{self.path} holds no secrets table")
        self._fernet, self._salt = fernet, salt
        self._values = {str(k): str(v) for k, v in values.items()}

    def _write(self) -> None:
        assert self._fernet is not None
        token = self._fernet.encrypt(json.dumps(self._values).encode("utf-8")).decode("ascii")
        document = {
            "format": _FORMAT,
            "version": 1,
            "kdf": {
                "name": "scrypt",
                "salt": base64.b64encode(self._salt).decode("ascii"),
                "n": _SCRYPT_N,
                "r": _SCRYPT_R,
                "p": _SCRYPT_P,
            },
            "cipher": "fernet",
            "data": token,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_name(self.path.name + ".tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(document, handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise CredentialError(f"cannot write {self.path} ({exc.strerror})") from None

    def get(self, key: str) -> str | None:
        with self._lock:
            self._unlock()
            return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._unlock()
            self._values[key] = value
            self._write()

    def delete(self, key: str) -> None:
        with self._lock:
            if not self.path.exists():
                return
            self._unlock()
            if self._values.pop(key, None) is not None:
                self._write()


# --- what the services use -----------------------------------------------------------------------

Chooser = Callable[[CredentialError], SecretStore | None]
"""Asked when the keyring fails in a way another storage gets around; None keeps the error."""


class Credentials:
    """Account secrets, one entry per account name, in the storage the user chose.

    Args:
        store: where secrets live (default: the system keyring).
        service: the keyring service name, when ``store`` is the default keyring.
        chooser: asked, when the keyring fails with a problem the user can get around, for the
            storage to use instead (the window's dialog); without one the error is raised.
    """

    def __init__(
        self,
        store: SecretStore | None = None,
        *,
        service: str = SERVICE,
        chooser: Chooser | None = None,
    ) -> None:
        self._store: SecretStore = store if store is not None else KeyringStore(service)
        self._chooser = chooser
        self._lock = threading.Lock()

    @property
    def storage(self) -> Storage:
        return self._store.kind

    @property
    def store_in_use(self) -> SecretStore:
        return self._store

    def use(self, store: SecretStore) -> None:
        """Keep secrets in ``store`` from now on."""
        self._store = store
        log.info("secrets are kept in %s from now on", store.describe())

    def set_chooser(self, chooser: Chooser | None) -> None:
        self._chooser = chooser

    def backend_name(self) -> str:
        return self._store.describe()

    def missing_hint(self, account: str) -> str:
        """What to tell the user when ``account`` has no stored secret."""
        if self._store.kind is Storage.SESSION:
            return (
                f"no secret for this session (secrets are kept in memory only; enter it again, "
                f"or pass it as {secret_variable(account)})"
            )
        return f"no secret in {self._store.describe()}; remove and add the account again"

    def check(self) -> None:
        """Raise :class:`CredentialError` when the storage cannot be used (one harmless read)."""
        self._store.get("probe")

    def _run(self, work: Callable[[SecretStore], Any]) -> Any:
        store = self._store
        try:
            return work(store)
        except CredentialError as exc:
            if not exc.offers_choice or self._chooser is None:
                raise
            with self._lock:
                if self._store is store:
                    replacement = self._chooser(exc)
                    if replacement is None:
                        raise
                    self.use(replacement)
            return work(self._store)

    def store(self, account: str, secret: Secret) -> None:
        """Save the secret for ``account`` (replacing any earlier one).

        The secret is read back: a backend that accepts it and keeps nothing (a keyring that
        drops writes) would otherwise lose it silently, and the account would fail at its first
        sync.
        """
        value = secret.reveal()

        def store_and_read_back(store: SecretStore) -> None:
            store.set(_key(account), value)
            if store.get(_key(account)) != value:
                raise CredentialError(
                    f"{store.describe()} did not keep the secret; choose a storage that does "
                    f"(PYTHON_KEYRING_BACKEND or {ENV_STORAGE})"
                )

        self._run(store_and_read_back)
        log.info("stored the secret for account %r in %s", account, self._store.describe())

    def load(self, account: str) -> Secret | None:
        """The secret for ``account``, or None when none is stored."""
        value = self._run(lambda s: s.get(_key(account)))
        return None if value is None else Secret(value)

    def delete(self, account: str) -> None:
        """Forget the secret for ``account`` (no error when there is none)."""
        self._run(lambda s: s.delete(_key(account)))


def store_from_environment(
    environ: Mapping[str, str],
    profile: Path,
    ask_passphrase: PassphraseSource,
) -> SecretStore:
    """The storage ``CM_CONSOLE_CREDENTIALS`` asks for (default: the system keyring).

    Raises:
        ValueError: the variable names no known storage.
    """
    value = environ.get(ENV_STORAGE, "").strip().lower() or Storage.KEYRING.value
    try:
        kind = Storage(value)
    except ValueError:
        names = ", ".join(s.value for s in Storage)
        raise ValueError(f"{ENV_STORAGE}={value!r}: expected one of {names}") from None
    if kind is Storage.SESSION:
        return SessionStore(environ)
    if kind is Storage.ENCRYPTED_FILE:
        given = environ.get(ENV_PASSPHRASE)

        def passphrase(creating: bool) -> str | None:
            return given if given is not None else ask_passphrase(creating)

        return EncryptedFileStore(profile / ENCRYPTED_FILE_NAME, passphrase)
    return KeyringStore()
