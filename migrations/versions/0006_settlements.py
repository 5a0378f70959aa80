"""episodes, quality and settlements

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _money() -> service.kit.db.ScaledDecimal:
    return service.kit.db.ScaledDecimal(2, 16)


def upgrade() -> None:
    op.create_table(
        "quality_report",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("reported_by", sa.String(length=40), nullable=False),
        sa.Column("updated_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrangement_id"], ["arrangement.id"], name=op.f("fk_quality_report_arrangement_id_arrangement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_report")),
        sa.UniqueConstraint(
            "arrangement_id", "period_start", name=op.f("uq_quality_report_arrangement_id_period_start")
        ),
    )
    op.create_table(
        "settlement",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.String(length=40), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("claims_cutoff", sa.Date(), nullable=False),
        sa.Column("terms_version", sa.Integer(), nullable=False),
        sa.Column("terms_sha256", sa.String(length=64), nullable=False),
        sa.Column("definition_code", sa.String(length=40), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("n_episodes", sa.Integer(), nullable=False),
        sa.Column("n_excluded", sa.Integer(), nullable=False),
        sa.Column("total_target", _money(), nullable=False),
        sa.Column("total_actual", _money(), nullable=False),
        sa.Column("savings", _money(), nullable=False),
        sa.Column("quality_score", service.kit.db.ScaledDecimal(12, 14), nullable=False),
        sa.Column("shared_before_caps", service.kit.db.ScaledDecimal(6, 20), nullable=False),
        sa.Column("stop_gain_limit", service.kit.db.ScaledDecimal(6, 20), nullable=False),
        sa.Column("stop_loss_limit", service.kit.db.ScaledDecimal(6, 20), nullable=False),
        sa.Column("cap_bound", sa.String(length=12), nullable=True),
        sa.Column("below_min_episodes", sa.Boolean(), nullable=False),
        sa.Column("settlement_amount", _money(), nullable=False),
        sa.Column("delta", _money(), nullable=True),
        sa.Column("delta_against", sa.String(length=40), nullable=True),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("inputs_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finalized_by", sa.String(length=40), nullable=True),
        sa.Column("finalized_at", service.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["arrangement_id"], ["arrangement.id"], name=op.f("fk_settlement_arrangement_id_arrangement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement")),
        sa.UniqueConstraint(
            "arrangement_id",
            "period_start",
            "period_end",
            "revision",
            name=op.f("uq_settlement_arrangement_id_period_start_period_end_revision"),
        ),
    )
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_settlement_arrangement_id"), ["arrangement_id"], unique=False)

    op.create_table(
        "settlement_line",
        sa.Column("settlement_id", sa.String(length=40), nullable=False),
        sa.Column("episode_id", sa.String(length=40), nullable=False),
        sa.Column("mbi", sa.String(length=11), nullable=False),
        sa.Column("trigger_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("trigger_claim_id", sa.String(length=64), nullable=False),
        sa.Column("risk_factor", service.kit.db.ScaledDecimal(4, 10), nullable=False),
        sa.Column("target", _money(), nullable=False),
        sa.Column("spending", _money(), nullable=False),
        sa.Column("outlier_cap", _money(), nullable=False),
        sa.Column("actual", _money(), nullable=False),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlement.id"], name=op.f("fk_settlement_line_settlement_id_settlement")
        ),
        sa.PrimaryKeyConstraint("settlement_id", "episode_id", name=op.f("pk_settlement_line")),
    )


def downgrade() -> None:
    op.drop_table("settlement_line")
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_settlement_arrangement_id"))
    op.drop_table("settlement")
    op.drop_table("quality_report")
