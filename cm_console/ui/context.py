"""What the window works with, handed over by the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QSettings

from cm_console.services.accounts import AccountService
from cm_console.services.outbox import OutboxService
from cm_console.services.prompting import PromptingService
from cm_console.services.settings import SettingsService
from cm_console.services.sync import SyncService
from cm_console.services.triage import TriageService


@dataclass
class UiServices:
    """Services and settings for the window (no store, no SQL, no HTTP)."""

    triage: TriageService
    accounts: AccountService
    sync: SyncService
    outbox: OutboxService
    prompting: PromptingService
    settings: SettingsService
    clock: Callable[[], datetime]
    ui_settings: QSettings
    database_label: str
    is_demo: bool = False
