"""idempotency records: forget those stored before responses were encrypted

Records written by earlier versions were keyed by a hash of the Authorization header (so a
revoked key could still replay them) and kept response bodies in clear, some with a webhook
signing secret or a newly issued API key. They expire within a day anyway; this deletes them
now. Clients retrying across the upgrade get their request executed again, as after the TTL.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DELETE FROM idempotency_record")


def downgrade() -> None:
    pass
