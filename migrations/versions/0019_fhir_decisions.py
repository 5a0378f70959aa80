"""Decisions on claim versions from FHIR exports: room for their file names and claim ids.

The decisions kept beside a claims upload (``cclf_decision``) now also come from FHIR bulk
exports, whose files are named by the export job (a UUID and a resource type, not CCLF's
``CCLF5``) and whose claim ids (CLM_ID) may be longer than CCLF's 13 digits. Widening only:
downgrading fails if a longer value is stored by then.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cclf_decision") as batch:
        batch.alter_column(
            "source_file", existing_type=sa.String(length=8), type_=sa.String(length=200), existing_nullable=False
        )
        batch.alter_column(
            "cur_clm_uniq_id", existing_type=sa.String(length=13), type_=sa.String(length=64), existing_nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("cclf_decision") as batch:
        batch.alter_column(
            "cur_clm_uniq_id", existing_type=sa.String(length=64), type_=sa.String(length=13), existing_nullable=False
        )
        batch.alter_column(
            "source_file", existing_type=sa.String(length=200), type_=sa.String(length=8), existing_nullable=False
        )
