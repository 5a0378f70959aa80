"""Risk scores computed from claims: the alignment row's original reason for Medicare
entitlement (OREC 0-3, optional), and on each settlement line where its HCC score came from.

``entitlement_reason`` is one of the demographics the CMS-HCC model reads when a beneficiary has no
uploaded score. ``hcc_source`` on a settlement line is ``uploaded``, ``computed: <model>`` or NULL
(no score: 1.0, and lines stored before scores were computed).

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("alignment_record") as batch:
        batch.add_column(sa.Column("entitlement_reason", sa.String(1), nullable=True))
    with op.batch_alter_table("settlement_line") as batch:
        batch.add_column(sa.Column("hcc_source", sa.String(80), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("settlement_line") as batch:
        batch.drop_column("hcc_source")
    with op.batch_alter_table("alignment_record") as batch:
        batch.drop_column("entitlement_reason")
