"""Contracts over time: rosters with effective dates, organisation profiles (contact email, CMS
ACO id), renewals, and each signature's snapshot of the signing organisation.

- ``roster_entry`` takes over from ``organization_npi``. Every NPI an organisation had becomes a
  roster entry effective from 2027-01-01 with no end: the first day of the model's first
  performance year, before which no arrangement period can start, so every trigger date the
  service ever considers finds the NPI on the roster exactly as it did before. Ids
  ``ros_000...<n>`` keep the old order and sort before every id made later.
- Expand only: ``organization_npi`` stays (processes of the previous release read it while a
  deployment rolls over; onboarding still writes it) and the snapshot columns are nullable. A
  later release copies any NPI such a process added and drops the table.
- Signatures made before this revision get the signing organisation's name, TIN and NPIs as
  they are now: organisations could not change before it, so that is how they were when signed.

Revision ID: 0012
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

import service.kit.db

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CARRIED_OVER_FROM = date(2027, 1, 1)

organization = sa.table(
    "organization",
    sa.column("id", sa.String),
    sa.column("name", sa.String),
    sa.column("tin", sa.String),
    sa.column("created_at", service.kit.db.UTCDateTime()),
)
organization_npi = sa.table(
    "organization_npi",
    sa.column("id", sa.Integer),
    sa.column("organization_id", sa.String),
    sa.column("npi", sa.String),
)
roster_entry = sa.table(
    "roster_entry",
    sa.column("id", sa.String),
    sa.column("organization_id", sa.String),
    sa.column("npi", sa.String),
    sa.column("effective_from", sa.Date),
    sa.column("effective_to", sa.Date),
    sa.column("created_at", service.kit.db.UTCDateTime()),
    sa.column("ended_at", service.kit.db.UTCDateTime()),
)
signature = sa.table(
    "arrangement_signature",
    sa.column("organization_id", sa.String),
    sa.column("organization_name", sa.String),
    sa.column("organization_tin", sa.String),
    sa.column("organization_npis", sa.JSON),
)


def upgrade() -> None:
    bind = op.get_bind()

    sqlite = bind.dialect.name == "sqlite"
    # Columns are added in place (SQLite's ALTER TABLE ADD COLUMN): rebuilding a table that
    # others reference would fail on SQLite with foreign keys enforced.
    op.add_column("organization", sa.Column("contact_email", sa.String(length=254), nullable=True))
    op.add_column("organization", sa.Column("cms_aco_id", sa.String(length=5), nullable=True))
    op.create_index(op.f("ix_organization_cms_aco_id"), "organization", ["cms_aco_id"], unique=True)

    if sqlite:
        op.execute(
            "ALTER TABLE arrangement ADD COLUMN renewal_of VARCHAR(40) "
            "CONSTRAINT fk_arrangement_renewal_of_arrangement REFERENCES arrangement (id)"
        )
    else:
        op.add_column("arrangement", sa.Column("renewal_of", sa.String(length=40), nullable=True))
        op.create_foreign_key(
            op.f("fk_arrangement_renewal_of_arrangement"), "arrangement", "arrangement", ["renewal_of"], ["id"]
        )
    op.create_index(op.f("ix_arrangement_renewal_of"), "arrangement", ["renewal_of"], unique=False)

    # Each signature's snapshot of its organisation, filled for the signatures already made.
    with op.batch_alter_table("arrangement_signature", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organization_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("organization_tin", sa.String(length=9), nullable=True))
        batch_op.add_column(sa.Column("organization_npis", sa.JSON(), nullable=True))
    npis_of: dict[str, list[str]] = {}
    for org_id, npi in bind.execute(sa.select(organization_npi.c.organization_id, organization_npi.c.npi)):
        npis_of.setdefault(org_id, []).append(npi)
    signers = bind.execute(sa.select(signature.c.organization_id).distinct()).scalars().all()
    for org_id in signers:
        org = bind.execute(
            sa.select(organization.c.name, organization.c.tin).where(organization.c.id == org_id)
        ).one()
        bind.execute(
            signature.update()
            .where(signature.c.organization_id == org_id)
            .values(
                organization_name=org.name,
                organization_tin=org.tin,
                organization_npis=sorted(npis_of.get(org_id, [])),
            )
        )

    # The roster, carried over from organization_npi.
    op.create_table(
        "roster_entry",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("organization_id", sa.String(length=40), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("effective_to", sa.Date(), nullable=True),
        sa.Column("created_at", service.kit.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", service.kit.db.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "effective_to IS NULL OR effective_to >= effective_from",
            name=op.f("ck_roster_entry_dates_ordered"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_roster_entry_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_entry")),
    )
    with op.batch_alter_table("roster_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_entry_npi"), ["npi"], unique=False)
        batch_op.create_index(
            "ix_roster_entry_org_npi", ["organization_id", "npi", "effective_from"], unique=False
        )
    existing = bind.execute(
        sa.select(organization_npi.c.id, organization_npi.c.organization_id, organization_npi.c.npi, organization.c.created_at)
        .join(organization, organization.c.id == organization_npi.c.organization_id)
        .order_by(organization_npi.c.id)
    ).all()
    if existing:
        op.bulk_insert(
            roster_entry,
            [
                {
                    "id": f"ros_{row.id:026d}",
                    "organization_id": row.organization_id,
                    "npi": row.npi,
                    "effective_from": CARRIED_OVER_FROM,
                    "effective_to": None,
                    "created_at": row.created_at,
                    "ended_at": None,
                }
                for row in existing
            ],
        )


def downgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    # The fixed NPI list of old becomes the roster as it stands: each NPI with an open stay.
    current = bind.execute(
        sa.select(roster_entry.c.organization_id, roster_entry.c.npi)
        .where(roster_entry.c.effective_to.is_(None))
        .distinct()
        .order_by(roster_entry.c.organization_id, roster_entry.c.npi)
    ).all()
    bind.execute(organization_npi.delete())
    if current:
        op.bulk_insert(organization_npi, [{"organization_id": org_id, "npi": npi} for org_id, npi in current])
    with op.batch_alter_table("roster_entry", schema=None) as batch_op:
        batch_op.drop_index("ix_roster_entry_org_npi")
        batch_op.drop_index(batch_op.f("ix_roster_entry_npi"))
    op.drop_table("roster_entry")

    with op.batch_alter_table("arrangement_signature", schema=None) as batch_op:
        batch_op.drop_column("organization_npis")
        batch_op.drop_column("organization_tin")
        batch_op.drop_column("organization_name")

    op.drop_index(op.f("ix_arrangement_renewal_of"), table_name="arrangement")
    if sqlite:
        # SQLite cannot drop a column with a foreign key in place: the table is rebuilt, which it
        # allows only while no other row references an arrangement.
        with op.batch_alter_table("arrangement", schema=None) as batch_op:
            batch_op.drop_column("renewal_of")
    else:
        op.drop_constraint(op.f("fk_arrangement_renewal_of_arrangement"), "arrangement", type_="foreignkey")
        op.drop_column("arrangement", "renewal_of")

    op.drop_index(op.f("ix_organization_cms_aco_id"), table_name="organization")
    if sqlite:  # in place (SQLite 3.35+), without rebuilding a table others reference
        op.execute("ALTER TABLE organization DROP COLUMN cms_aco_id")
        op.execute("ALTER TABLE organization DROP COLUMN contact_email")
    else:
        op.drop_column("organization", "cms_aco_id")
        op.drop_column("organization", "contact_email")
