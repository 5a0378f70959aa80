"""Episode analyses (docs/analyses.md).

- ``episode_analysis``: one analysis of an ACO's claims (request, status, summary, the target-price
  recommendation), with ``aco_id``;
- ``episode_analysis_row``: its report, one row per practice and per NPI, with ``aco_id``.

Additive only: a process of the previous release ignores both tables.

Revision ID: 0018
Revises: 0017
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "episode_analysis",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("aco_id", sa.String(length=40), nullable=False),
        sa.Column("requested_by", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("definition_code", sa.String(length=40), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("baseline_start", sa.Date(), nullable=False),
        sa.Column("baseline_end", sa.Date(), nullable=False),
        sa.Column("claims_cutoff", sa.Date(), nullable=False),
        sa.Column("practice_ids", sa.JSON(), nullable=False),
        sa.Column("npis", sa.JSON(), nullable=False),
        sa.Column("trend", service.kit.db.ScaledDecimal(6, 12), nullable=False),
        sa.Column("target_mean_risk_score", service.kit.db.ScaledDecimal(4, 10), nullable=True),
        sa.Column("price_adjustment_pct", service.kit.db.ScaledDecimal(4, 10), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("started_at", service.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", service.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=500), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("recommendation", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["aco_id"], ["organization.id"], name=op.f("fk_episode_analysis_aco_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_episode_analysis")),
    )
    with op.batch_alter_table("episode_analysis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_episode_analysis_aco_id"), ["aco_id"], unique=False)
        batch_op.create_index("ix_episode_analysis_status", ["status", "created_at"], unique=False)

    op.create_table(
        "episode_analysis_row",
        sa.Column("aco_id", sa.String(length=40), nullable=False),
        sa.Column("analysis_id", sa.String(length=40), nullable=False),
        sa.Column("ordinal", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("practice_id", sa.String(length=40), nullable=True),
        sa.Column("practice_name", sa.String(length=200), nullable=True),
        sa.Column("npi", sa.String(length=10), nullable=True),
        sa.Column("episodes", sa.Integer(), nullable=False),
        sa.Column("total_spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("mean_spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("winsorised_mean_spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("median_spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("p10_spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("p90_spending", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("mean_risk_score", service.kit.db.ScaledDecimal(4, 10), nullable=False),
        sa.Column("spending_outside_arrangements", service.kit.db.ScaledDecimal(2, 16), nullable=False),
        sa.Column("leakage_share", service.kit.db.ScaledDecimal(6, 10), nullable=False),
        sa.ForeignKeyConstraint(
            ["analysis_id"],
            ["episode_analysis.id"],
            name=op.f("fk_episode_analysis_row_analysis_id_episode_analysis"),
        ),
        sa.PrimaryKeyConstraint("aco_id", "analysis_id", "ordinal", name=op.f("pk_episode_analysis_row")),
    )


def downgrade() -> None:
    op.drop_table("episode_analysis_row")
    with op.batch_alter_table("episode_analysis", schema=None) as batch_op:
        batch_op.drop_index("ix_episode_analysis_status")
        batch_op.drop_index(batch_op.f("ix_episode_analysis_aco_id"))

    op.drop_table("episode_analysis")
