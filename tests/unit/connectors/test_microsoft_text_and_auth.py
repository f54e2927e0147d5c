"""Pure helpers of the Microsoft connectors: HTML to text, sign-in settings, tokens, mentions."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime, timedelta

import pytest

from cm_console.connectors.base import AccountConfig
from cm_console.connectors.engage.normalize import parse_time as yammer_time
from cm_console.connectors.errors import AuthError, ConfigurationError
from cm_console.connectors.microsoft.auth import (
    EntraSettings,
    StaticToken,
    account_reference,
    jwt_expiry,
    parse_reference,
)
from cm_console.connectors.microsoft.html import html_to_text
from cm_console.connectors.teams.connector import TeamsConnector
from cm_console.connectors.teams.normalize import parse_time as graph_time
from cm_console.domain.model import RemotePerson, Secret
from cm_console.domain.text import asks_question


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<p>Hallo</p><p>wereld</p>", "Hallo\nwereld"),
        ("een<br>twee<br/>drie", "een\ntwee\ndrie"),
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b"),
        ("<blockquote><p>Wie?</p><blockquote>Ik</blockquote></blockquote>Ok", "> Wie?\n> > Ik\nOk"),
        ("<p>Zie <code>x?</code></p><pre>if a?\n  b</pre>", "Zie `x?`\n```\nif a?\n  b\n```"),
        (
            '<at id="0">Sven&nbsp;de Groot</at> &amp; co <emoji alt="👍"></emoji>',
            "Sven de Groot & co 👍",
        ),
        ("<script>alert(1)</script><style>p{}</style>tekst", "tekst"),
        ("<p>  veel    spaties  </p>", "veel spaties"),
        ("", ""),
    ],
)
def test_html_to_text(body: str, text: str) -> None:
    assert html_to_text(body) == text


def test_a_question_in_a_quote_or_code_is_not_the_authors() -> None:
    assert not asks_question(html_to_text("<blockquote>Werkt het?</blockquote><p>Nee.</p>"))
    assert not asks_question(html_to_text("<p>Run <code>ls -la?</code></p>"))
    assert asks_question(html_to_text("<blockquote>Werkt het?</blockquote><p>En bij jou?</p>"))


def test_deep_quotes_are_capped() -> None:
    assert html_to_text("<blockquote>" * 500 + "x").startswith("> " * 20 + "x")


def test_entra_settings_from_options() -> None:
    account = AccountConfig(
        name="a", options={"tenant": "contoso.onmicrosoft.com", "client_id": "c"}
    )
    settings = EntraSettings.from_account(
        account, default_resource="https://graph.microsoft.com", permissions=("User.Read",)
    )
    assert settings.authority == "https://login.microsoftonline.com/contoso.onmicrosoft.com"
    assert settings.scopes == ("https://graph.microsoft.com/User.Read",)
    assert not settings.plaintext_cache
    cloud = AccountConfig(
        name="a",
        options={
            "authority": "https://login.microsoftonline.us/gov.example",
            "resource": "https://graph.microsoft.us",
            "token_cache": "plaintext",
        },
    )
    gov = EntraSettings.from_account(cloud, default_resource="https://x", permissions=("A",))
    assert gov.authority == "https://login.microsoftonline.us/gov.example"
    assert gov.scopes == ("https://graph.microsoft.us/A",)
    assert gov.plaintext_cache and gov.client_id is None
    with pytest.raises(ConfigurationError):
        EntraSettings.from_account(
            AccountConfig(name="a", options={"authority": "http://login.example"}),
            default_resource="https://x",
            permissions=(),
        )


def jwt(claims: dict[str, object]) -> str:
    part = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"eyJhbGciOiJub25lIn0.{part}.sig"


def test_static_token_is_used_until_it_expires() -> None:
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    token = jwt({"exp": int((now + timedelta(minutes=5)).timestamp())})
    assert jwt_expiry(token) == now + timedelta(minutes=5)
    assert jwt_expiry("opaque-token") is None and jwt_expiry("a.b.c") is None
    clock = [now]
    source = StaticToken(Secret(token), lambda: clock[0])
    assert source.token() == token and source.refresh() is False
    clock[0] = now + timedelta(minutes=6)
    with pytest.raises(AuthError) as caught:
        source.token()
    assert caught.value.code == "token_expired" and token not in str(caught.value)


def test_account_reference_is_not_a_token() -> None:
    ref = account_reference("oid.tid", "cm@contoso.example")
    assert parse_reference(ref) == {
        "kind": "msal-account",
        "home_account_id": "oid.tid",
        "username": "cm@contoso.example",
    }
    assert parse_reference(Secret("eyJ0eXAiOiJKV1Qi.x.y")) is None
    assert parse_reference(Secret('{"kind": "other"}')) is None


def test_teams_mentions_become_at_tags() -> None:
    sven = RemotePerson("u-sven", "Sven de Groot", "Sven de Groot")
    ann = RemotePerson("u-ann", "Ann <B>", "Ann <B>")
    body, mentions = TeamsConnector.compose("Vraag @Sven de Groot\nen <script>", (sven, ann))
    assert body == (
        '<at id="1">Ann &lt;B&gt;</at> Vraag <at id="0">Sven de Groot</at><br>en &lt;script&gt;'
    )
    assert [m["mentioned"]["user"]["id"] for m in mentions] == ["u-sven", "u-ann"]
    assert mentions[1]["mentionText"] == "Ann <B>"


def test_platform_times() -> None:
    assert graph_time("2026-11-28T10:00:00.1234567Z") == datetime(
        2026, 11, 28, 10, 0, 0, 123456, tzinfo=UTC
    )
    assert graph_time("garbage") is None and graph_time(None) is None
    assert yammer_time("2022/11/11 20:59:56 +0000") == datetime(
        2022, 11, 11, 20, 59, 56, tzinfo=UTC
    )
    assert yammer_time("2022-11-11T20:59:56Z") == datetime(2022, 11, 11, 20, 59, 56, tzinfo=UTC)
