"""Claim line and alignment records keep the id of the upload that brought them without a foreign
key, and uploads can no longer be deleted.

The foreign key was checked once per stored row (a lookup of the upload and a lock on its row):
on PostgreSQL about 8 µs a row, the largest cost of an upload after the table's two indexes
(docs/ingest.md). What it guaranteed still holds: records are written by one writer, created
for an upload row already written in the same transaction (service/ingest/storage.py
``writer_for``), and an upload row, once there, stays: the trigger below refuses to delete one,
so no record can lose its upload.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels = None
depends_on = None

_RECORDS = ("claim_line_record", "alignment_record")
_REFUSAL = "uploads are kept: an upload row is never deleted"


def upgrade() -> None:
    for table in _RECORDS:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_upload_id_upload", type_="foreignkey")
    if _postgres():
        op.execute(
            "CREATE FUNCTION upload_never_deleted() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_REFUSAL}' USING ERRCODE = 'restrict_violation'; END $$"
        )
        op.execute(
            "CREATE TRIGGER upload_never_deleted BEFORE DELETE ON upload "
            "FOR EACH ROW EXECUTE FUNCTION upload_never_deleted()"
        )
    else:
        op.execute(
            "CREATE TRIGGER upload_never_deleted BEFORE DELETE ON upload "
            f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
        )


def downgrade() -> None:
    if _postgres():
        op.execute("DROP TRIGGER upload_never_deleted ON upload")
        op.execute("DROP FUNCTION upload_never_deleted()")
    else:
        op.execute("DROP TRIGGER upload_never_deleted")
    for table in _RECORDS:
        with op.batch_alter_table(table) as batch:
            batch.create_foreign_key(f"fk_{table}_upload_id_upload", "upload", ["upload_id"], ["id"])


def _postgres() -> bool:
    return op.get_context().dialect.name == "postgresql"
