"""A rejected upload no longer blocks a retry of the same content.

The unique key on (ACO, kind, content hash, error mode) held for every upload, rejected ones
included, so a corrected retry (say, with the sandbox's identifiers allowed) answered "already
imported". It now holds for stored uploads only (a partial unique index), and rejected reports
may repeat. Downgrading restores the constraint, which fails if two rejected reports of the same
content exist by then (delete the older ones first).

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels = None
depends_on = None

COLUMNS = ["aco_id", "kind", "content_sha256", "on_error"]


def upgrade() -> None:
    with op.batch_alter_table("upload") as batch:
        batch.drop_constraint("uq_upload_aco_id_kind_content_sha256_on_error", type_="unique")
    op.create_index(
        "uq_upload_stored_content",
        "upload",
        COLUMNS,
        unique=True,
        postgresql_where=sa.text("status = 'stored'"),
        sqlite_where=sa.text("status = 'stored'"),
    )


def downgrade() -> None:
    op.drop_index("uq_upload_stored_content", table_name="upload")
    with op.batch_alter_table("upload") as batch:
        batch.create_unique_constraint("uq_upload_aco_id_kind_content_sha256_on_error", COLUMNS)
