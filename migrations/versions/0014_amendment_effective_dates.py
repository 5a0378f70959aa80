"""Amendments with an effective date.

- ``arrangement_version.effective_from``: the first day an amendment's terms apply to (NULL: the
  period's start, which is what every version stored before this revision meant).
- ``arrangement_version.executed_at``: when a version was put in force. Left NULL on versions
  executed before this revision: their effective dates are all the period's start, so the version
  in force (``arrangement.version_in_force``, always counted as executed) covers the whole period
  on its own, exactly as before.
- ``settlement_line.terms_version``: the terms version an episode settled under (NULL on lines
  stored before: the settlement's own ``terms_version``).
- ``settlement.terms_versions``: the figures per terms version (NULL on settlements stored before).

Additive only: a process of the previous release ignores the new columns (an amendment it
executes takes effect from the period's start, as it always did).

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ADDED = (
    ("arrangement_version", "effective_from"),
    ("arrangement_version", "executed_at"),
    ("settlement_line", "terms_version"),
    ("settlement", "terms_versions"),
)


def upgrade() -> None:
    op.add_column("arrangement_version", sa.Column("effective_from", sa.Date(), nullable=True))
    op.add_column(
        "arrangement_version", sa.Column("executed_at", service.kit.db.UTCDateTime(), nullable=True)
    )
    op.add_column("settlement_line", sa.Column("terms_version", sa.Integer(), nullable=True))
    op.add_column("settlement", sa.Column("terms_versions", sa.JSON(), nullable=True))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, column in reversed(ADDED):
        if sqlite:  # in place (SQLite 3.35+), without rebuilding tables others reference
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
