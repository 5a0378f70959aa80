"""Claim lines carry the inpatient stay they belong to: MS-DRG, admission and discharge dates,
facility CCN, attending and operating NPIs and ICD-10-PCS procedures (all optional, null on
lines stored before).

Revision ID: 0017
Revises: 0016
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels = None
depends_on = None

COLUMNS = (
    ("drg_code", sa.String(3)),
    ("admission_date", sa.Date()),
    ("discharge_date", sa.Date()),
    ("facility_ccn", sa.String(6)),
    ("attending_npi", sa.String(10)),
    ("operating_npi", sa.String(10)),
    ("procedure_codes", sa.String(210)),
)


def upgrade() -> None:
    # Nullable columns without a default: PostgreSQL adds them without rewriting the table.
    for name, type_ in COLUMNS:
        op.add_column("claim_line_record", sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("claim_line_record") as batch:
        for name, _ in reversed(COLUMNS):
            batch.drop_column(name)
