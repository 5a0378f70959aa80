"""Uploads, and every version of every claim line and alignment row they brought.

Nothing is updated in place: each upload appends records, and the counting version of a claim
line (or the current alignment of a beneficiary) is chosen at read time (repository.py), so
"as of a cutoff" questions are answerable and history is never lost.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.db import Base, Money, ScaledDecimal, UTCDateTime

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
_SEQ = BigInteger().with_variant(Integer, "sqlite")


class Upload(Base):
    """One upload (stored or rejected) and its report. Never deleted: the database refuses to
    (migration 0021), so every record's ``upload_id`` keeps naming a row here."""

    __tablename__ = "upload"
    # The same content is stored once per ACO, kind and error mode; rejected attempts (their
    # reports) may repeat, so a corrected retry of rejected content is validated again.
    __table_args__ = (
        Index(
            "uq_upload_stored_content",
            "aco_id",
            "kind",
            "content_sha256",
            "on_error",
            unique=True,
            postgresql_where=text("status = 'stored'"),
            sqlite_where=text("status = 'stored'"),
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    aco_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # alignment | claims
    source: Mapped[str] = mapped_column(String(16))  # csv | ndjson | rif | cclf
    on_error: Mapped[str] = mapped_column(String(8))  # reject | skip
    status: Mapped[str] = mapped_column(String(16))  # stored | rejected
    content_sha256: Mapped[str] = mapped_column(String(64))
    bytes_received: Mapped[int] = mapped_column(BigInteger)
    rows_received: Mapped[int] = mapped_column(Integer)
    rows_stored: Mapped[int] = mapped_column(Integer)
    rows_rejected: Mapped[int] = mapped_column(Integer)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    key_id: Mapped[str] = mapped_column(String(40))
    # Stored but flagged: diagnosis codes newer than the newest ICD-10-CM set (null before 0009).
    warnings: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)


class ClaimLineRecord(Base):
    """One version of one claim line, as received."""

    __tablename__ = "claim_line_record"
    __table_args__ = (
        Index("ix_claim_line_record_version", "aco_id", "claim_id", "line_number", "received_date", "seq"),
        Index("ix_claim_line_record_bene", "aco_id", "mbi", "from_date"),
    )

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    # The upload that brought this version. Neither indexed nor a foreign key: either costs on
    # each of millions of stored rows, and no query looks records up by upload. The upload row is
    # written first, in the same transaction, and is never deleted (migration 0021's trigger).
    upload_id: Mapped[str] = mapped_column(String(40))
    aco_id: Mapped[str] = mapped_column(String(40))
    claim_id: Mapped[str] = mapped_column(String(64))
    line_number: Mapped[int] = mapped_column(Integer)
    claim_type: Mapped[str] = mapped_column(String(16))
    mbi: Mapped[str] = mapped_column(String(11))
    from_date: Mapped[date] = mapped_column(Date)
    thru_date: Mapped[date] = mapped_column(Date)
    rendering_npi: Mapped[str | None] = mapped_column(String(10))
    billing_tin: Mapped[str | None] = mapped_column(String(9))
    hcpcs: Mapped[str | None] = mapped_column(String(5))
    # Normalised codes wrapped and delimited by "|" ("|Z9181|W19XXXA|"): any position is
    # prefix-matchable in SQL with LIKE '%|Z9181%'.
    diagnoses: Mapped[str] = mapped_column(String(400))
    principal_diagnosis: Mapped[str] = mapped_column(String(8))
    allowed_amount: Mapped[Decimal] = mapped_column(Money())
    paid_amount: Mapped[Decimal] = mapped_column(Money())
    adjustment: Mapped[str] = mapped_column(String(12))
    received_date: Mapped[date] = mapped_column(Date)
    # The inpatient stay the line belongs to (null on other lines; added by 0016): what an
    # inpatient episode anchor reads. Procedures are delimited like ``diagnoses``.
    drg_code: Mapped[str | None] = mapped_column(String(3))
    admission_date: Mapped[date | None] = mapped_column(Date)
    discharge_date: Mapped[date | None] = mapped_column(Date)
    facility_ccn: Mapped[str | None] = mapped_column(String(6))
    attending_npi: Mapped[str | None] = mapped_column(String(10))
    operating_npi: Mapped[str | None] = mapped_column(String(10))
    procedure_codes: Mapped[str | None] = mapped_column(String(210))


class AlignmentRecord(Base):
    """One version of one beneficiary's alignment to an ACO; the latest per MBI counts."""

    __tablename__ = "alignment_record"
    __table_args__ = (Index("ix_alignment_record_current", "aco_id", "mbi", "seq"),)

    seq: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    upload_id: Mapped[str] = mapped_column(String(40))  # as ClaimLineRecord.upload_id
    aco_id: Mapped[str] = mapped_column(String(40))
    mbi: Mapped[str] = mapped_column(String(11))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    dual_status: Mapped[bool] = mapped_column(Boolean)
    hcc_score: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4, 10))
    aligned_from: Mapped[date] = mapped_column(Date)
    aligned_through: Mapped[date | None] = mapped_column(Date)
    esrd: Mapped[bool] = mapped_column(Boolean)
    hospice_start: Mapped[date | None] = mapped_column(Date)
    death_date: Mapped[date | None] = mapped_column(Date)
    # Original reason for Medicare entitlement (OREC): 0 age, 1 disability, 2 ESRD, 3 both; read
    # by the CMS-HCC model when no score was uploaded. NULL: not sent (the model reads 0).
    entitlement_reason: Mapped[str | None] = mapped_column(String(1))


class CclfDecision(Base):
    """Why one version of a CCLF (or FHIR export) claim with several versions counts or does not (cancelled,
    superseded, the latest remaining, denied), kept with the claims upload it came in."""

    __tablename__ = "cclf_decision"

    id: Mapped[int] = mapped_column(_SEQ, primary_key=True, autoincrement=True)
    upload_id: Mapped[str] = mapped_column(ForeignKey("upload.id"), index=True)
    claim_id: Mapped[str] = mapped_column(String(80))
    line_number: Mapped[int | None] = mapped_column(Integer)
    source_file: Mapped[str] = mapped_column(String(200))  # CCLF5, or a FHIR export file
    record_number: Mapped[int] = mapped_column(Integer)
    cur_clm_uniq_id: Mapped[str] = mapped_column(String(64))  # CUR_CLM_UNIQ_ID, or CLM_ID
    adjustment_type: Mapped[str] = mapped_column(String(2))
    effective_date: Mapped[date | None] = mapped_column(Date)
    # As the record states it (CMS sends cancellations unsigned); None when unreadable.
    paid_amount: Mapped[Decimal | None] = mapped_column(Money())
    counts: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(300))
