"""Settings declared once: parse and format round trip, errors name the key, profile paths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cm_console import config
from cm_console.config import (
    ABANDONED_AFTER_DAYS,
    ACCOUNT_SETTINGS,
    ALL_SETTINGS,
    APP_SETTINGS,
    BUSINESS_HOURS,
    OUTBOX_MAX_ATTEMPTS,
    SLA_HOURS,
    STALLED_AFTER_HOURS,
    SYNC_INTERVAL_MINUTES,
    TEAM,
    TIMEZONE,
    UNANSWERED_AFTER_HOURS,
    Scope,
    Setting,
    SettingError,
)


class TestDeclarations:
    def test_every_setting_is_declared_once_with_help_and_a_parseable_default(self) -> None:
        keys = [s.key for s in (*ACCOUNT_SETTINGS, *APP_SETTINGS)]
        assert len(keys) == len(set(keys)) == len(ALL_SETTINGS)
        for setting in ALL_SETTINGS.values():
            assert setting.help.endswith(".")
            assert setting.scopes
            assert setting.parse(setting.format(setting.default)) == setting.default

    def test_the_documented_defaults(self) -> None:
        assert UNANSWERED_AFTER_HOURS.default == 2
        assert STALLED_AFTER_HOURS.default is None  # 72 h on forums, 24 h on chat
        assert ABANDONED_AFTER_DAYS.default == 30
        assert SLA_HOURS.default == 4
        assert BUSINESS_HOURS.default == "mon-fri 09:00-17:00"
        assert TIMEZONE.default == ""
        assert TEAM.default == ()

    def test_thresholds_are_per_account_and_per_container_the_team_per_account(self) -> None:
        for setting in (
            UNANSWERED_AFTER_HOURS,
            STALLED_AFTER_HOURS,
            ABANDONED_AFTER_DAYS,
            SLA_HOURS,
            BUSINESS_HOURS,
            TIMEZONE,
        ):
            assert setting.scopes == {Scope.ACCOUNT, Scope.CONTAINER}
        assert TEAM.scopes == {Scope.ACCOUNT}
        assert SYNC_INTERVAL_MINUTES.scopes == OUTBOX_MAX_ATTEMPTS.scopes == {Scope.APP}


FINITE_HOURS = st.floats(min_value=0, max_value=24 * 3650, allow_nan=False)
DAY = st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])


@st.composite
def business_hours(draw: st.DrawFn) -> str:
    parts = draw(
        st.lists(st.one_of(DAY, st.tuples(DAY, DAY).map("-".join)), min_size=1, max_size=3)
    )
    start = draw(st.integers(0, 24 * 60 - 1))
    end = draw(st.integers(start + 1, 24 * 60))
    return f"{','.join(parts)} {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"


HANDLE = st.text(
    st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789._-é"), min_size=1, max_size=12
)


@pytest.mark.parametrize(
    ("setting", "values"),
    [
        (UNANSWERED_AFTER_HOURS, FINITE_HOURS),
        (STALLED_AFTER_HOURS, st.none() | FINITE_HOURS),
        (ABANDONED_AFTER_DAYS, st.floats(min_value=0, max_value=3650, allow_nan=False)),
        (SLA_HOURS, FINITE_HOURS),
        (BUSINESS_HOURS, business_hours()),
        (
            TIMEZONE,
            st.sampled_from(
                [
                    "",
                    "Europe/Amsterdam",
                    "Asia/Kathmandu",
                    "UTC",
                    "America/Argentina/Buenos_Aires",
                    "Etc/GMT+5",
                ]
            ),
        ),
        (TEAM, st.lists(HANDLE, unique=True, max_size=5).map(tuple)),
        (SYNC_INTERVAL_MINUTES, st.integers(0, 10**6)),
        (OUTBOX_MAX_ATTEMPTS, st.integers(0, 1000)),
    ],
    ids=lambda v: v.key if isinstance(v, Setting) else "",
)
def test_parse_format_round_trip(setting: Setting[Any], values: st.SearchStrategy[Any]) -> None:
    @given(values)
    def round_trip(value: Any) -> None:
        text = setting.format(value)
        assert setting.parse(text) == value
        assert setting.format(setting.parse(text)) == text

    round_trip()


@pytest.mark.parametrize(
    ("setting", "raw"),
    [
        (UNANSWERED_AFTER_HOURS, "two"),
        (UNANSWERED_AFTER_HOURS, "-1"),
        (UNANSWERED_AFTER_HOURS, "nan"),
        (UNANSWERED_AFTER_HOURS, "inf"),
        (UNANSWERED_AFTER_HOURS, "1e300"),
        (STALLED_AFTER_HOURS, "never"),
        (STALLED_AFTER_HOURS, "-infinity"),
        (ABANDONED_AFTER_DAYS, "1e9"),
        (SLA_HOURS, ""),
        (SLA_HOURS, "Infinity"),
        (BUSINESS_HOURS, "weekdays 9-5"),
        (BUSINESS_HOURS, "mon-fri 09:00-24:30"),
        (BUSINESS_HOURS, "mon-fri 17:00-09:00"),
        (BUSINESS_HOURS, "mon-fri 09:00-09:00"),
        (TIMEZONE, "Europe/Amsterdam; rm -rf"),
        (TIMEZONE, "Mars/Olympus_Mons"),
        (TIMEZONE, "../../etc/passwd"),
        (SYNC_INTERVAL_MINUTES, "5.5"),
        (SYNC_INTERVAL_MINUTES, "-5"),
        (OUTBOX_MAX_ATTEMPTS, "many"),
    ],
)
def test_errors_name_the_key_and_the_expected_form(setting: Setting[Any], raw: str) -> None:
    with pytest.raises(SettingError) as caught:
        setting.parse(raw)
    message = str(caught.value)
    assert message.startswith(f"{setting.key}: expected {setting.form}")
    assert repr(raw) in message


def test_lenient_spellings() -> None:
    assert STALLED_AFTER_HOURS.parse(" AUTO ") is None
    assert STALLED_AFTER_HOURS.parse("") is None
    assert UNANSWERED_AFTER_HOURS.parse(" 1.5 ") == 1.5
    assert BUSINESS_HOURS.parse("Mon - Fri   08:30 -  16:00") == "mon - fri 08:30 - 16:00"
    assert BUSINESS_HOURS.parse("mon-sun 00:00-24:00") == "mon-sun 00:00-24:00"
    assert TEAM.parse(" @anouk, jeroen ,,anouk ") == ("anouk", "jeroen")
    assert TEAM.format(("anouk", "jeroen")) == "anouk,jeroen"


class TestOptions:
    def test_parse_options_types_known_keys_and_passes_connector_options(self) -> None:
        parsed = config.parse_options(
            {"unanswered_after_hours": "3", "team": "a,b", "auth": "user_api_key"}, Scope.ACCOUNT
        )
        assert parsed == {"unanswered_after_hours": 3.0, "team": ("a", "b"), "auth": "user_api_key"}

    def test_scope_errors_name_the_key(self) -> None:
        with pytest.raises(SettingError, match=r"^team cannot be set per container"):
            config.parse_options({"team": "a"}, Scope.CONTAINER)
        with pytest.raises(SettingError, match=r"^sync_interval_minutes cannot be set per account"):
            config.parse_options({"sync_interval_minutes": "5"}, Scope.ACCOUNT)

    def test_a_bad_value_names_its_key(self) -> None:
        with pytest.raises(SettingError, match=r"^sla_hours: expected"):
            config.parse_options(
                {"unanswered_after_hours": "2", "sla_hours": "soon"}, Scope.CONTAINER
            )

    def test_effective_falls_back_to_the_default(self) -> None:
        assert config.effective({}, SLA_HOURS) == 4
        assert config.effective({"sla_hours": 8.0}, SLA_HOURS) == 8
        assert config.effective({"stalled_after_hours": None}, STALLED_AFTER_HOURS) is None


class TestPaths:
    def test_profile_from_the_argument_then_the_environment_then_the_default(
        self, tmp_path: Path
    ) -> None:
        env = {config.ENV_PROFILE: str(tmp_path / "env")}
        assert config.resolve_paths(str(tmp_path / "arg"), env).profile == tmp_path / "arg"
        assert config.resolve_paths(None, env).profile == tmp_path / "env"
        assert config.resolve_paths(None, {}).profile == config.default_profile_dir()

    def test_profile_layout(self, tmp_path: Path) -> None:
        paths = config.resolve_paths(str(tmp_path), {})
        assert paths.database == tmp_path / "cm-console.sqlite3"
        assert paths.demo_database == tmp_path / "demo" / "demo.sqlite3"
        assert paths.backups == tmp_path / "backups"
        assert paths.logs == tmp_path / "logs"
        assert paths.cache == tmp_path / "cache"
        assert paths.ui_settings == tmp_path / "ui-settings.ini"

    def test_database_url(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.chdir(tmp_path)
        assert config.resolve_database_url(None, {}) is None
        assert config.resolve_database_url("x.db", {}) == f"sqlite:///{tmp_path / 'x.db'}"
        url = "postgresql+psycopg://cm@db/cm"
        assert config.resolve_database_url(None, {config.ENV_DB: url}) == url
        assert config.resolve_database_url("sqlite:////a.db", {config.ENV_DB: url}) == (
            "sqlite:////a.db"
        )

    def test_system_timezone(self) -> None:
        assert config.system_timezone_name({"TZ": ":Europe/Amsterdam"}) == "Europe/Amsterdam"
        assert config.system_timezone_name({"TZ": "Asia/Kathmandu"}) == "Asia/Kathmandu"
