"""CCLF decisions: why each version of a multi-version claim counts or not.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cclf_decision",
        sa.Column(
            "id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False
        ),
        sa.Column("upload_id", sa.String(length=40), nullable=False),
        sa.Column("claim_id", sa.String(length=80), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=True),
        sa.Column("source_file", sa.String(length=8), nullable=False),
        sa.Column("record_number", sa.Integer(), nullable=False),
        sa.Column("cur_clm_uniq_id", sa.String(length=13), nullable=False),
        sa.Column("adjustment_type", sa.String(length=2), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=True),
        sa.Column("counts", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["upload_id"], ["upload.id"], name=op.f("fk_cclf_decision_upload_id_upload")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cclf_decision")),
    )
    with op.batch_alter_table("cclf_decision", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cclf_decision_upload_id"), ["upload_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cclf_decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cclf_decision_upload_id"))
    op.drop_table("cclf_decision")
