"""Each settlement line names its price group: the risk factor of an inpatient anchor whose
target priced the episode (terms with ``target_prices``); NULL for a single target price, and on
lines stored before.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("settlement_line") as batch:
        batch.add_column(sa.Column("price_group", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("settlement_line") as batch:
        batch.drop_column("price_group")
