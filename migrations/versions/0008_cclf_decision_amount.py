"""CCLF decisions carry the amount each version states, so the packet's check (negate the
cancellations, sum every version) can be redone from the decisions alone.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cclf_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("paid_amount", service.kit.db.ScaledDecimal(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cclf_decision", schema=None) as batch_op:
        batch_op.drop_column("paid_amount")
