"""Settlement of record: quality data versions, what a settlement could read (sources), its
override reason and supersession, the parties' acceptances and disputes.

Additive: new tables, new nullable columns, and ``settlement.status`` widened from 8 to 12
characters (for ``superseded``). Existing settlements keep their status (draft or final) and get
``sources`` NULL (a recompute then reads the uploads stored before they were created); every
existing quality report gets its current content as a version (earlier ones are in the audit
trail, as before).

Revision ID: 0011
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import service.kit.db
from service.kit.ids import new_id

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quality_report_version",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("report_id", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("measures", sa.JSON(), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("attestation", sa.String(length=2000), nullable=True),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangement.id"],
            name=op.f("fk_quality_report_version_arrangement_id_arrangement"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["quality_report.id"],
            name=op.f("fk_quality_report_version_report_id_quality_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_report_version")),
        sa.UniqueConstraint("report_id", "version", name=op.f("uq_quality_report_version_report_id_version")),
    )
    op.create_index(
        op.f("ix_quality_report_version_report_id"), "quality_report_version", ["report_id"], unique=False
    )
    op.create_table(
        "settlement_acceptance",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("settlement_id", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("accepted_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["settlement_id"],
            ["settlement.id"],
            name=op.f("fk_settlement_acceptance_settlement_id_settlement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_acceptance")),
        sa.UniqueConstraint(
            "settlement_id",
            "organization_id",
            name=op.f("uq_settlement_acceptance_settlement_id_organization_id"),
        ),
    )
    op.create_index(
        op.f("ix_settlement_acceptance_settlement_id"),
        "settlement_acceptance",
        ["settlement_id"],
        unique=False,
    )
    op.create_table(
        "settlement_dispute",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("settlement_id", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.String(length=40), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.String(length=2000), nullable=False),
        sa.Column("line_ids", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("resolution_note", sa.String(length=2000), nullable=True),
        sa.Column("resolved_by", sa.String(length=40), nullable=True),
        sa.Column("resolved_key_id", sa.String(length=40), nullable=True),
        sa.Column("resolved_at", service.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangement.id"],
            name=op.f("fk_settlement_dispute_arrangement_id_arrangement"),
        ),
        sa.ForeignKeyConstraint(
            ["settlement_id"], ["settlement.id"], name=op.f("fk_settlement_dispute_settlement_id_settlement")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settlement_dispute")),
    )
    op.create_index(
        op.f("ix_settlement_dispute_arrangement_id"), "settlement_dispute", ["arrangement_id"], unique=False
    )
    op.create_index(
        op.f("ix_settlement_dispute_settlement_id"), "settlement_dispute", ["settlement_id"], unique=False
    )
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.alter_column(
            "status", existing_type=sa.String(length=8), type_=sa.String(length=12), existing_nullable=False
        )
        batch_op.add_column(sa.Column("override_reason", sa.String(length=2000), nullable=True))
        batch_op.add_column(sa.Column("superseded_by", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("sources", sa.JSON(), nullable=True))

    # Every existing quality report becomes version <revision> of itself.
    bind = op.get_bind()
    reports = sa.table(
        "quality_report",
        sa.column("id", sa.String),
        sa.column("arrangement_id", sa.String),
        sa.column("period_start", sa.Date),
        sa.column("measures", sa.JSON),
        sa.column("revision", sa.Integer),
        sa.column("reported_by", sa.String),
        sa.column("updated_at", service.kit.db.UTCDateTime(timezone=True)),
    )
    versions = sa.table(
        "quality_report_version",
        sa.column("id", sa.String),
        sa.column("report_id", sa.String),
        sa.column("arrangement_id", sa.String),
        sa.column("period_start", sa.Date),
        sa.column("version", sa.Integer),
        sa.column("measures", sa.JSON),
        sa.column("organization_id", sa.String),
        sa.column("key_id", sa.String),
        sa.column("attestation", sa.String),
        sa.column("created_at", service.kit.db.UTCDateTime(timezone=True)),
    )
    rows = [
        {
            "id": new_id("qrv"),
            "report_id": r.id,
            "arrangement_id": r.arrangement_id,
            "period_start": r.period_start,
            "version": r.revision,
            "measures": r.measures,
            "organization_id": r.reported_by,
            "key_id": "unrecorded",
            "attestation": None,
            "created_at": r.updated_at,
        }
        for r in bind.execute(sa.select(reports)).all()
    ]
    if rows:
        op.bulk_insert(versions, rows)


def downgrade() -> None:
    with op.batch_alter_table("settlement", schema=None) as batch_op:
        batch_op.drop_column("sources")
        batch_op.drop_column("superseded_by")
        batch_op.drop_column("override_reason")
        batch_op.alter_column(
            "status", existing_type=sa.String(length=12), type_=sa.String(length=8), existing_nullable=False
        )
    op.drop_index(op.f("ix_settlement_dispute_settlement_id"), table_name="settlement_dispute")
    op.drop_index(op.f("ix_settlement_dispute_arrangement_id"), table_name="settlement_dispute")
    op.drop_table("settlement_dispute")
    op.drop_index(op.f("ix_settlement_acceptance_settlement_id"), table_name="settlement_acceptance")
    op.drop_table("settlement_acceptance")
    op.drop_index(op.f("ix_quality_report_version_report_id"), table_name="quality_report_version")
    op.drop_table("quality_report_version")
