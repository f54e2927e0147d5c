"""Composition root: the only place that knows the concrete classes and wires them together."""

from __future__ import annotations

import getpass
import logging
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cm_console import cli, config, logs
from cm_console.connectors.errors import ConnectorError
from cm_console.connectors.registry import Registry
from cm_console.credentials import CredentialError, Credentials
from cm_console.services.accounts import (
    AccountService,
    ConnectorFactory,
    ServiceError,
    UsageError,
)
from cm_console.services.demo import DEMO_USER, DemoService
from cm_console.services.outbox import OutboxService
from cm_console.services.prompting import PromptingService
from cm_console.services.sync import SyncService
from cm_console.services.triage import TriageService
from cm_console.store import Database, Store, StoreError, open_store
from cm_console.store.engine import HEAD_REVISION

if TYPE_CHECKING:
    from cm_console.ui.context import UiServices

log = logging.getLogger(__name__)

# Set to 1 by packaging/build_linux.sh: open the window, wait for the painted queue, exit 0.
ENV_SMOKE_TEST = "CM_CONSOLE_SMOKE_TEST"


CONSOLE_USER_KEY = "console_user"
"""A workspace can name its console user (the demo does), instead of the login name."""


def fixed_clock(instant: datetime) -> Callable[[], datetime]:
    return lambda: instant


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workspace:
    """A database with every service wired to it."""

    store: Store
    paths: config.Paths
    clock: Callable[[], datetime]
    triage: TriageService
    accounts: AccountService
    sync: SyncService
    outbox: OutboxService
    demo: DemoService
    prompting: PromptingService
    registry: Registry
    database_label: str

    def close(self) -> None:
        self.store.close()


def open_workspace(
    db_url: str | None,
    paths: config.Paths,
    clock: Callable[[], datetime],
    *,
    registry: Registry | None = None,
    credentials: Credentials | None = None,
    user_name: str | None = None,
) -> Workspace:
    """Open (and migrate, for SQLite) the database and build the services over it.

    Args:
        user_name: the console user (default: the operating-system login name).
    """
    url = db_url or f"sqlite:///{paths.database}"
    store = open_store(url, backup_dir=paths.backups)
    registry = registry or Registry()
    credentials = credentials or Credentials()
    # cache_dir: where connectors keep caches they own (the MSAL token cache, encrypted).
    backends = {"simulation": store.simulation, "cache_dir": str(paths.cache)}
    factory = ConnectorFactory(registry, credentials, clock, backends)
    app_settings = store.settings.get_all()
    name = user_name or str(app_settings.get(CONSOLE_USER_KEY) or "") or _user_name()
    user = store.users.ensure(name, clock())
    max_attempts = int(
        app_settings.get(config.OUTBOX_MAX_ATTEMPTS.key, config.OUTBOX_MAX_ATTEMPTS.default)
    )
    accounts = AccountService(store, credentials, factory, clock)
    triage = TriageService(store, factory, clock, user)
    sync = SyncService(store, factory, clock, max_attempts=max_attempts)
    sync.recover()
    return Workspace(
        store=store,
        paths=paths,
        clock=clock,
        triage=triage,
        accounts=accounts,
        sync=sync,
        outbox=OutboxService(store, clock, user),
        demo=DemoService(store, accounts, sync, triage, clock),
        prompting=PromptingService(store, triage, factory, clock, user),
        registry=registry,
        database_label=store.db.display_url,
    )


def _user_name() -> str:
    try:
        return getpass.getuser() or "me"
    except (KeyError, OSError):
        return "me"


def fresh_demo_database(paths: config.Paths) -> str:
    """Delete the profile's demo workspace (never the user's) and return its URL."""
    path = paths.demo_database
    for suffix in ("", "-wal", "-shm"):
        candidate = Path(f"{path}{suffix}")
        if candidate.exists():
            candidate.unlink()
    return f"sqlite:///{path}"


def _upgrade(url: str, paths: config.Paths) -> str:
    db = Database(url)
    try:
        before = db.current_revision()
        if db.is_sqlite and before is not None and before != HEAD_REVISION:
            db.backup(paths.backups, "before-upgrade")
        db.upgrade()
        after = db.current_revision()
    finally:
        db.dispose()
    if before == after:
        return f"{db.display_url} is up to date (schema {after})"
    return f"{db.display_url} upgraded from schema {before or 'none'} to {after}"


def cli_services(ws: Workspace, db_url: str) -> cli.CliServices:
    return cli.CliServices(
        triage=ws.triage,
        accounts=ws.accounts,
        sync=ws.sync,
        outbox=ws.outbox,
        demo=ws.demo,
        prompting=ws.prompting,
        clock=ws.clock,
        upgrade_database=lambda: _upgrade(db_url, ws.paths),
    )


def run(argv: Sequence[str]) -> int:
    """Parse the command line and run it; returns the process exit code."""
    try:
        args = cli.parse_args(argv)
    except cli.CliUsageError as exc:
        print(f"{cli.PROG}: {exc}", file=sys.stderr)
        return 2
    except SystemExit as exc:  # --help and --version
        return int(exc.code or 0)
    paths = config.resolve_paths(args.profile)
    logs.configure(paths.logs, verbose=args.verbose)
    clock = fixed_clock(args.now) if args.now is not None else system_clock
    command = args.command or "gui"
    db_url = config.resolve_database_url(args.db)
    try:
        if command == "db":
            print(_upgrade(db_url or f"sqlite:///{paths.database}", paths))
            return 0
        if command == "demo":
            return _run_demo(args, paths, clock, db_url)
        ws = open_workspace(db_url, paths, clock)
        try:
            if command == "gui":
                return _run_gui(ws)
            return cli.execute(args, cli_services(ws, db_url or f"sqlite:///{paths.database}"))
        finally:
            ws.close()
    except (UsageError, cli.CliUsageError) as exc:
        print(f"{cli.PROG}: {exc}", file=sys.stderr)
        return 2
    except (ServiceError, StoreError, CredentialError, ConnectorError) as exc:
        print(f"{cli.PROG}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{cli.PROG}: interrupted", file=sys.stderr)
        return 130


def _run_demo(
    args: object, paths: config.Paths, clock: Callable[[], datetime], db_url: str | None
) -> int:
    url = db_url or fresh_demo_database(paths)
    fresh = db_url is None or not Path(db_url.removeprefix("sqlite:///")).exists()
    ws = open_workspace(url, paths, clock, user_name=DEMO_USER if fresh else None)
    try:
        if ws.store.accounts.get("demo") is None:
            ws.demo.create()
        else:
            ws.sync.sync("demo")
        services = cli_services(ws, url)
        if getattr(args, "headless", False):
            cli.demo_summary(services, sys.stdout)
            return 0
        return _run_gui(ws, is_demo=True)
    finally:
        ws.close()


def ui_services(workspace: Workspace, ui_settings: object, *, is_demo: bool = False) -> UiServices:
    """What the window gets: the workspace's services (imports the UI's context, hence Qt)."""
    from cm_console.services.settings import SettingsService  # noqa: PLC0415
    from cm_console.ui.context import UiServices  # noqa: PLC0415

    return UiServices(
        triage=workspace.triage,
        accounts=workspace.accounts,
        sync=workspace.sync,
        outbox=workspace.outbox,
        prompting=workspace.prompting,
        settings=SettingsService(workspace.store, workspace.clock),
        clock=workspace.clock,
        ui_settings=ui_settings,  # type: ignore[arg-type]
        database_label=workspace.database_label,
        is_demo=is_demo,
    )


def demo_opener(ws: Workspace, opened: list[Workspace]) -> Callable[[object], UiServices]:
    """The welcome's "open the demo": a fresh demo workspace in the profile, as ``cm-console
    demo`` makes it. Workspaces it opens are added to ``opened`` for the caller to close."""

    def open_demo(ui_settings: object) -> UiServices:
        demo = open_workspace(
            fresh_demo_database(ws.paths), ws.paths, ws.clock, user_name=DEMO_USER
        )
        opened.append(demo)
        demo.demo.create()
        return ui_services(demo, ui_settings, is_demo=True)

    return open_demo


def _run_gui(ws: Workspace, *, is_demo: bool = False) -> int:
    """Open the desktop console on the workspace (Qt is imported only now)."""
    from cm_console.ui.main import run as run_window  # noqa: PLC0415

    opened: list[Workspace] = []
    try:
        return run_window(
            lambda ui_settings: ui_services(ws, ui_settings, is_demo=is_demo),
            ws.paths.ui_settings,
            open_demo=None if is_demo else demo_opener(ws, opened),
            smoke_test=os.environ.get(ENV_SMOKE_TEST, "") not in ("", "0"),
        )
    finally:
        for workspace in opened:
            workspace.close()
