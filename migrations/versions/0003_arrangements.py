"""arrangements, versions, signatures

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "arrangement",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("aco_id", sa.String(length=40), nullable=False),
        sa.Column("provider_id", sa.String(length=40), nullable=False),
        sa.Column("proposer_id", sa.String(length=40), nullable=False),
        sa.Column("definition_id", sa.String(length=40), nullable=False),
        sa.Column("definition_code", sa.String(length=40), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("version_in_force", sa.Integer(), nullable=True),
        sa.Column("pending_version", sa.Integer(), nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("termination_reason", sa.String(length=2000), nullable=True),
        sa.Column("decline_reason", sa.String(length=2000), nullable=True),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["aco_id"], ["organization.id"], name=op.f("fk_arrangement_aco_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["episode_definition.id"],
            name=op.f("fk_arrangement_definition_id_episode_definition"),
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"], ["organization.id"], name=op.f("fk_arrangement_proposer_id_organization")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["organization.id"], name=op.f("fk_arrangement_provider_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrangement")),
    )
    with op.batch_alter_table("arrangement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_arrangement_aco_id"), ["aco_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_arrangement_definition_code"), ["definition_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_arrangement_provider_id"), ["provider_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_arrangement_status"), ["status"], unique=False)

    op.create_table(
        "arrangement_version",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.String(length=40), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("terms_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangement.id"],
            name=op.f("fk_arrangement_version_arrangement_id_arrangement"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrangement_version")),
        sa.UniqueConstraint(
            "arrangement_id", "number", name=op.f("uq_arrangement_version_arrangement_id_number")
        ),
    )
    with op.batch_alter_table("arrangement_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_arrangement_version_arrangement_id"), ["arrangement_id"], unique=False
        )

    op.create_table(
        "arrangement_signature",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("arrangement_id", sa.String(length=40), nullable=False),
        sa.Column("version_id", sa.String(length=40), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_title", sa.String(length=200), nullable=False),
        sa.Column("terms_sha256", sa.String(length=64), nullable=False),
        sa.Column("signed_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["arrangement_id"],
            ["arrangement.id"],
            name=op.f("fk_arrangement_signature_arrangement_id_arrangement"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_arrangement_signature_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["arrangement_version.id"],
            name=op.f("fk_arrangement_signature_version_id_arrangement_version"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arrangement_signature")),
        sa.UniqueConstraint(
            "version_id", "organization_id", name=op.f("uq_arrangement_signature_version_id_organization_id")
        ),
    )
    with op.batch_alter_table("arrangement_signature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_arrangement_signature_arrangement_id"), ["arrangement_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_arrangement_signature_version_id"), ["version_id"], unique=False)


def downgrade() -> None:
    op.drop_table("arrangement_signature")
    op.drop_table("arrangement_version")
    op.drop_table("arrangement")
