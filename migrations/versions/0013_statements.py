"""Statements: the episodes a settlement found but did not settle, with their reason.

Additive: one new table. Settlements stored before it have no rows there; their statement and
evidence find those episodes again from the settlement's recorded sources.

Revision ID: 0013
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settlement_exclusion",
        sa.Column("settlement_id", sa.String(length=40), nullable=False),
        sa.Column("episode_id", sa.String(length=40), nullable=False),
        sa.Column("mbi", sa.String(length=11), nullable=False),
        sa.Column("trigger_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("trigger_claim_id", sa.String(length=64), nullable=False),
        sa.Column("exclusion_reason", sa.String(length=24), nullable=False),
        sa.Column("spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlement.id"],
            name=op.f("fk_settlement_exclusion_settlement_id_settlement"),
        ),
        sa.PrimaryKeyConstraint("settlement_id", "episode_id", name=op.f("pk_settlement_exclusion")),
    )


def downgrade() -> None:
    op.drop_table("settlement_exclusion")
