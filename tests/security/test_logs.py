"""The redacting log filter: every way a credential can reach a log line, with generated tokens."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cm_console.logs import REDACTED, RedactingFilter, configure, redact

TOKEN_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_."
tokens = st.text(TOKEN_CHARS, min_size=12, max_size=80).filter(lambda t: t[0].isalnum())

# Where a connector, urllib3 or an exception could put a credential.
TEMPLATES = [
    "Authorization: Bearer {t}",
    "authorization: Basic {t}",
    "Proxy-Authorization: Bearer {t}",
    "{{'Authorization': 'Bearer {t}', 'Accept': 'application/json'}}",
    '{{"Authorization": "Bearer {t}"}}',
    "headers={{'Api-Key': '{t}', 'Api-Username': 'anouk'}}",
    "User-Api-Key: {t}",
    "X-Auth-Token={t}",
    "GET /api/v4/posts?access_token={t}&page=2",
    "POST /oauth/token grant_type=refresh_token&refresh_token={t}&client_id=x",
    '{{"access_token": "{t}", "refresh_token": "{t}", "expires_in": 3600}}',
    '{{"type": "m.login.password", "user": "@a:x", "password": "{t}"}}',
    "client_secret={t}",
    "Cookie: session={t}; csrf={t}",
    "Set-Cookie: _t={t}; Path=/; HttpOnly",
    "token {t}",
    "api_key: {t}",
    "passphrase={t}",
    "code_verifier={t}",
    "loginToken={t}",
]


@settings(max_examples=300, deadline=None)
@given(token=tokens, template=st.sampled_from(TEMPLATES))
def test_credentials_in_known_places_are_redacted(token: str, template: str) -> None:
    line = template.format(t=token)
    assert token not in redact(line), line


@settings(max_examples=200, deadline=None)
@given(token=st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=40))
def test_platform_token_shapes_are_redacted_anywhere(token: str) -> None:
    shapes = [
        f"xoxp-{token}",
        f"xoxb-{token}",
        f"xoxe.xoxp-1-{token}",
        f"syt_{token}",
        f"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ{token}.sig{token}",
    ]
    for shape in shapes:
        out = redact(f"while talking to the server: {shape} was refused")
        assert shape not in out and REDACTED in out, shape


def test_pem_private_keys_are_redacted() -> None:
    pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAxyz\nabc\n-----END RSA PRIVATE KEY-----"
    out = redact(f"key pair: {pem} done")
    assert "MIIEow" not in out and out.endswith("done")


def test_ordinary_text_is_kept() -> None:
    text = "synced 12 posts in #it-help; tokenizer unicode61; the secretariat answered"
    assert redact(text) == text


def record(msg: str, *args: object, exc: BaseException | None = None) -> logging.LogRecord:
    exc_info = (type(exc), exc, exc.__traceback__) if exc is not None else None
    return logging.LogRecord("t", logging.DEBUG, __file__, 1, msg, args, exc_info, sinfo=None)


def test_the_filter_covers_arguments_exceptions_and_stacks() -> None:
    secret = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2ln"
    try:
        raise RuntimeError(f"refused Authorization: Bearer {secret}")
    except RuntimeError as exc:
        rec = record("sending %s", {"Authorization": f"Bearer {secret}"}, exc=exc)
    rec.stack_info = f"Stack (most recent call last):\n  token={secret}"
    assert RedactingFilter().filter(rec)
    formatted = logging.Formatter("%(message)s").format(rec)
    assert secret not in formatted
    assert secret not in (rec.stack_info or "")
    bad = record("%d posts", "not a number")  # a broken format string still gets redacted
    bad.msg = f"token={secret} %d"
    RedactingFilter().filter(bad)
    assert secret not in bad.getMessage()


def test_configured_logging_redacts_and_keeps_the_files_private(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = logging.getLogger()
    before = list(root.handlers), root.level
    secret = "xoxp-1234567890-canary-logfile"
    try:
        configure(tmp_path / "logs", verbose=True)
        logging.getLogger("cm_console.connectors.http").debug("headers %s", {"X": secret})
        logging.getLogger("urllib3.connectionpool").debug(
            '%s://%s:%s "%s %s %s" %s %s', "https", "h", 443, "GET", f"/x?token={secret}", 1, 200, 5
        )
    finally:
        for handler in root.handlers[len(before[0]) :]:
            handler.close()
        root.handlers[:] = before[0]
        root.setLevel(before[1])
    log_file = tmp_path / "logs" / "cm-console.log"
    text = log_file.read_text()
    assert "canary-logfile" not in text and text.count(REDACTED) == 2
    assert "canary-logfile" not in capsys.readouterr().err
    assert stat.S_IMODE((tmp_path / "logs").stat().st_mode) == 0o700
    assert stat.S_IMODE(log_file.stat().st_mode) & 0o077 == 0
