"""What every command shares: how it fails, and bringing the database to the code's schema."""

from __future__ import annotations

import sys
from typing import Any

from service.kit import migrations
from service.settings import Settings

Subparsers = Any  # argparse's _SubParsersAction, not public


def fail(message: str, code: int = 1) -> int:
    print(f"cara: {message}", file=sys.stderr)
    return code


def migrate(settings: Settings) -> None:
    migrations.upgrade(settings.database_url)
