"""Episode detection (docs/method.md section 5), recomputed from the stored claims whenever it is asked for.

1. One SQL statement stores the trigger candidates (6.1) with their beneficiary's current
   alignment in a scratch table of the run (service/kit/scratch.py: on PostgreSQL an unlogged
   table, so that the statement may run in parallel); read back grouped by beneficiary, Python
   applies the age rule and the non-overlap scan (6.2) one beneficiary at a time, so memory
   holds one beneficiary's candidates, never the whole set.
2. The episodes found go, in batches, into a scratch table of windows with their exclusion
   reason (6.3).
3. One SQL statement sums each window's spending (6.4) over the counting claim lines into a
   third scratch table (in parallel, on PostgreSQL); the windows and their sums are streamed
   back in window order.

What is detected is a :class:`Scope`: whose claims, which definition, which trigger days and
which clinicians may trigger. An arrangement's scope (:func:`computed_episodes`) is its ACO, its
effective definition, its period and its practice's roster; an episode analysis
(service/analyses) builds one without an arrangement. Callers use :func:`detected_episodes` (or
:func:`computed_episodes`) as an async context manager: it yields an async iterator of
:class:`EpisodeSpending` and drops the scratch tables afterwards.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.roster import Stay
from service.arrangements.in_force import load_in_force
from service.arrangements.schemas import InForceArrangement
from service.definitions.schemas import EpisodeDefinitionSpec
from service.definitions.service import CompiledAnchor, CompiledDefinition, compile_definition
from service.episodes import evidence, repository, risk
from service.episodes.schemas import EpisodeEvidence, EpisodeOut
from service.kit.errors import FieldError, NotFound, Unprocessable
from service.kit.pagination import decode_cursor, encode_cursor
from service.kit.scratch import Scratch, scratch_tables

WINDOW_BATCH = 5000
HOSPICE_IN_WINDOW = "hospice_in_window"
ALIGNMENT_ENDED = "alignment_ended"
SETTLED_ELSEWHERE = "settled_elsewhere"
EXCLUSION_REASONS = (HOSPICE_IN_WINDOW, ALIGNMENT_ENDED, SETTLED_ELSEWHERE)
# (mbi, trigger date) pairs of episodes another arrangement's final settlement already counts;
# the layer above (settlements) knows them and passes them down.
SettledElsewhere = frozenset[tuple[str, date]]


def age_on(birth_date: date, day: date) -> int:
    """Whole years: someone born on 29 February is a year older on 1 March in other years."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def episode_id(arrangement_id: str, mbi: str, claim_id: str, line_number: int) -> str:
    """Stable across recomputations: the same trigger line of the same arrangement, the same id."""
    digest = hashlib.sha256(f"{arrangement_id}|{mbi}|{claim_id}|{line_number}".encode()).hexdigest()
    return f"epi_{digest[:32]}"


def exclusion_reason(
    *, trigger_date: date, end_date: date, hospice_start: date | None, aligned_through: date | None
) -> str | None:
    """docs/method.md section 5: hospice elected inside the window, or alignment ending before the window does.
    (Death inside the window does not exclude.)"""
    if hospice_start is not None and trigger_date <= hospice_start <= end_date:
        return HOSPICE_IN_WINDOW
    if aligned_through is not None and aligned_through < end_date:
        return ALIGNMENT_ENDED
    return None


class EpisodeSpending(NamedTuple):
    """One episode with its actual spending as of the cutoff. (A named tuple: tens of thousands
    are made per settlement, and a frozen dataclass costs several times as much to build.)"""

    id: str
    mbi: str
    trigger_date: date
    end_date: date
    trigger_claim_id: str
    trigger_line_number: int
    trigger_npi: str | None
    hcc_score: Decimal | None
    exclusion_reason: str | None
    spending: Decimal
    # Fingerprint of the inputs behind this episode (see repository.window_spending).
    trigger_seq: int
    alignment_seq: int
    line_count: int
    line_seq_sum: int
    # Where ``hcc_score`` came from: "uploaded", "computed: <model>" (risk.py), None: no score.
    hcc_source: str | None = None
    # The anchor stay's price group (an inpatient anchor's risk factor; None for a visit trigger).
    risk_factor_id: str | None = None

    def status(self, cutoff: date) -> str:
        if self.exclusion_reason is not None:
            return "excluded"
        return "open" if self.end_date >= cutoff else "closed"


class FoundWindow(NamedTuple):
    """An episode window found by the scan, in the window table's column order after ``ordinal``
    (repository.window_columns: stored as it is, behind its ordinal)."""

    episode_id: str
    mbi: str
    trigger_date: date
    end_date: date
    trigger_claim_id: str
    trigger_line_number: int
    trigger_seq: int
    alignment_seq: int
    hcc_score: Decimal | None
    exclusion_reason: str | None
    risk_factor_id: str | None
    trigger_npi: str | None


assert FoundWindow._fields == repository.WINDOW_COLUMNS[1:], "a window is stored by position"


def scan_beneficiary(
    arrangement_id: str,
    length_days: int,
    min_age: int,
    candidates: Sequence[Any],
    settled_elsewhere: SettledElsewhere = frozenset(),
    anchor: CompiledAnchor | None = None,
) -> list[FoundWindow]:
    """The non-overlap scan (docs/method.md section 5) over one beneficiary's trigger candidates (rows in
    repository.trigger_candidates' column order: mbi, from_date, claim_id, line_number, seq,
    alignment_seq, birth_date, hcc_score, aligned_through, hospice_start, rendering_npi; read by position,
    which costs a fraction of a Row's attribute lookup). An episode in ``settled_elsewhere``
    is excluded (``settled_elsewhere``): one episode is paid once.

    With an inpatient ``anchor`` the rows are repository.stay_candidates' (the admission date as
    ``from_date``, the attributed NPI, then discharge date, DRG and diagnoses): a window runs from admission through
    ``length_days`` days after discharge, and a stay admitted inside an open window (a
    readmission) opens none: its spending counts once, in the window it falls in."""
    ordered = [c for c in candidates if age_on(c[6], c[1]) >= min_age]
    if len(ordered) > 1:
        # By (from_date, claim_id, line_number); Python compares strings by code point, the
        # same on every database.
        ordered.sort(key=lambda c: (c[1], c[2], c[3]))
    windows: list[FoundWindow] = []
    open_until: date | None = None
    length = timedelta(days=length_days - 1)
    after_discharge = timedelta(days=length_days)
    for candidate in ordered:
        mbi, day, claim_id, line_number, seq, alignment_seq, _, hcc_score, aligned_through, hospice = (
            candidate[:10]
        )
        rendering_npi = candidate[10]
        if open_until is not None and day <= open_until:
            continue
        risk_factor_id: str | None = None
        if anchor is None:
            end = day + length
        else:
            discharge, drg, diagnoses = candidate[11:14]
            end = discharge + after_discharge
            risk_factor_id = anchor.risk_factor_of(drg, diagnoses)
        open_until = end
        windows.append(
            FoundWindow(
                episode_id(arrangement_id, mbi, claim_id, line_number),
                mbi,
                day,
                end,
                claim_id,
                line_number,
                seq,
                alignment_seq,
                hcc_score,
                SETTLED_ELSEWHERE
                if (mbi, day) in settled_elsewhere
                else exclusion_reason(
                    trigger_date=day, end_date=end, hospice_start=hospice, aligned_through=aligned_through
                ),
                risk_factor_id,
                rendering_npi,
            )
        )
    return windows


@dataclass(frozen=True, slots=True)
class Scope:
    """What detection reads: the ACO's claims and alignment, the definition, the days a line may
    trigger (``first_date`` .. ``last_date``) and the clinicians who may trigger (``roster``;
    ``None``: any rendering NPI). ``key`` seeds the episode ids (an arrangement's id)."""

    key: str
    aco_id: str
    definition: EpisodeDefinitionSpec
    first_date: date
    last_date: date
    roster: tuple[Stay, ...] | None

    @classmethod
    def of_arrangement(cls, arrangement: InForceArrangement) -> Scope:
        """The arrangement's period, ending the day before its termination, and its roster."""
        last = arrangement.period_end
        if arrangement.termination_date is not None:
            last = min(last, arrangement.termination_date - timedelta(days=1))
        return cls(
            key=arrangement.id,
            aco_id=arrangement.aco_id,
            definition=arrangement.definition,
            first_date=arrangement.period_start,
            last_date=last,
            roster=arrangement.provider_roster,
        )


async def _detect(
    session: AsyncSession,
    *,
    scratch: Scratch,
    window: Table,
    scope: Scope,
    definition: CompiledDefinition,
    cutoff: date,
    keep: Callable[[FoundWindow], bool],
    after: tuple[str, date] | None,
    limit: int | None,
    uploads: Sequence[str] | None,
    settled_elsewhere: SettledElsewhere,
) -> int:
    """Fill the table ``window``; returns the number of windows stored."""
    candidates_of = repository.trigger_candidates if definition.anchor is None else repository.stay_candidates
    candidates = await scratch.create_as(
        "episode_trigger",
        candidates_of(
            aco_id=scope.aco_id,
            cutoff=cutoff,
            definition=definition,
            provider_roster=scope.roster,
            first_date=scope.first_date,
            last_date=scope.last_date,
            after_mbi=after[0] if after else None,
            uploads=uploads,
        ),
    )
    stored = 0
    pending: list[tuple[Any, ...]] = []
    current: list[Any] = []

    async def flush_beneficiary() -> bool:
        nonlocal stored
        for found in scan_beneficiary(
            scope.key,
            definition.episode_length_days,
            definition.min_age,
            current,
            settled_elsewhere,
            definition.anchor,
        ):
            if after is not None and (found.mbi, found.trigger_date) <= after:
                continue
            if not keep(found):
                continue
            stored += 1
            pending.append((stored, *found))
            if limit is not None and stored >= limit:
                return False
        if len(pending) >= WINDOW_BATCH:
            await repository.add_windows(session, window, pending)
            pending.clear()
        return True

    # By beneficiary; the column order is trigger_candidates' (scan_beneficiary reads by position).
    result = await repository.stream(session, select(candidates).order_by(candidates.c.mbi))
    done = False
    try:
        # A batch at a time: iterating an async result row by row costs a greenlet switch a row.
        async for batch in result.partitions():
            for row in batch:
                if current and row[0] != current[0][0]:  # a new beneficiary (mbi)
                    if not await flush_beneficiary():
                        current = []
                        done = True
                        break
                    current = []
                current.append(row)
            if done:
                break
    finally:
        await result.close()
    if current:
        await flush_beneficiary()
    await repository.add_windows(session, window, pending)
    return stored


def computed_episodes(
    session: AsyncSession,
    *,
    arrangement: InForceArrangement,
    cutoff: date,
    trigger_from: date | None = None,
    trigger_to: date | None = None,
    include_excluded: bool = True,
    after: tuple[str, date] | None = None,
    limit: int | None = None,
    uploads: Sequence[str] | None = None,
    settled_elsewhere: SettledElsewhere = frozenset(),
    episode_id: str | None = None,
    risk_scores: bool | None = None,
) -> AbstractAsyncContextManager[AsyncIterator[EpisodeSpending]]:
    """The arrangement's episodes as of ``cutoff`` with their spending (:func:`detected_episodes`
    of the arrangement's :class:`Scope`)."""
    return detected_episodes(
        session,
        scope=Scope.of_arrangement(arrangement),
        cutoff=cutoff,
        trigger_from=trigger_from,
        trigger_to=trigger_to,
        include_excluded=include_excluded,
        after=after,
        limit=limit,
        uploads=uploads,
        settled_elsewhere=settled_elsewhere,
        episode_id=episode_id,
        risk_scores=risk_scores,
    )


@asynccontextmanager
async def detected_episodes(
    session: AsyncSession,
    *,
    scope: Scope,
    cutoff: date,
    trigger_from: date | None = None,
    trigger_to: date | None = None,
    include_excluded: bool = True,
    after: tuple[str, date] | None = None,
    limit: int | None = None,
    uploads: Sequence[str] | None = None,
    settled_elsewhere: SettledElsewhere = frozenset(),
    episode_id: str | None = None,
    risk_scores: bool | None = None,
) -> AsyncIterator[AsyncIterator[EpisodeSpending]]:
    """The scope's episodes as of ``cutoff`` with their spending, in (MBI, trigger date)
    order. Detection always scans the scope's whole range (an episode can block triggers after
    it); ``trigger_from``/``trigger_to`` and ``include_excluded`` only select which are returned;
    ``after`` and ``limit`` page through them. With ``uploads`` only the records of those
    uploads are read (a settlement's horizon); ``settled_elsewhere`` names episodes to exclude.

    Each episode's ``hcc_score`` is its alignment row's; when that has none and ``risk_scores``
    (default: when the definition risk-adjusts by HCC), the score computed from the
    beneficiary's claims of the year before (risk.py), with ``hcc_source`` saying which."""
    definition = compile_definition(scope.definition)
    compute_scores = scope.definition.risk_adjustment == "hcc" if risk_scores is None else risk_scores

    def keep(window: FoundWindow) -> bool:
        if episode_id is not None and window.episode_id != episode_id:
            return False
        if not include_excluded and window.exclusion_reason is not None:
            return False
        day = window.trigger_date
        return (trigger_from is None or day >= trigger_from) and (trigger_to is None or day <= trigger_to)

    async with scratch_tables(session) as scratch:
        window = await scratch.create("episode_window", *repository.window_columns())
        await _detect(
            session,
            scratch=scratch,
            window=window,
            scope=scope,
            definition=definition,
            cutoff=cutoff,
            keep=keep,
            after=after,
            limit=limit,
            uploads=uploads,
            settled_elsewhere=settled_elsewhere,
        )
        # What window_sums joins, filters and groups the windows on.
        await scratch.analyze(window, "ordinal", "mbi", "trigger_date", "end_date")
        sums = await scratch.create_as(
            "episode_sums",
            repository.window_sums(
                window=window,
                aco_id=scope.aco_id,
                cutoff=cutoff,
                definition=definition,
                uploads=uploads,
            ),
        )
        stmt = repository.window_spending(window=window, sums=sums)

        async def rows() -> AsyncIterator[EpisodeSpending]:
            result = await repository.stream(session, stmt)
            try:
                async for batch in result.partitions():
                    episodes = _episodes(batch)
                    if compute_scores:
                        episodes = await _with_computed_scores(
                            session, aco_id=scope.aco_id, batch=episodes, cutoff=cutoff, uploads=uploads
                        )
                    for episode in episodes:
                        yield episode
            finally:
                await result.close()

        yield rows()


def _episodes(batch: Sequence[Any]) -> list[EpisodeSpending]:
    """One batch of window_spending rows as episodes, an uploaded score marked as such."""
    out: list[EpisodeSpending] = []
    # Unpacked in the statement's column order (the window table's, then the sums): a Row's
    # attribute lookups cost more than the rest of the loop.
    for (
        _ordinal,
        id_,
        mbi,
        trigger_date,
        end_date,
        trigger_claim_id,
        trigger_line_number,
        trigger_seq,
        alignment_seq,
        hcc_score,
        reason,
        risk_factor_id,
        trigger_npi,
        spending,
        line_count,
        line_seq_sum,
    ) in batch:
        # Positional: keyword arguments cost a named tuple several times as much to build.
        out.append(
            EpisodeSpending(
                id_,
                mbi,
                trigger_date,
                end_date,
                trigger_claim_id,
                trigger_line_number,
                trigger_npi,
                hcc_score,
                reason,
                spending if type(spending) is Decimal else Decimal(spending),
                trigger_seq,
                alignment_seq,
                int(line_count),
                int(line_seq_sum),
                None if hcc_score is None else risk.UPLOADED,
                risk_factor_id,
            )
        )
    return out


async def _with_computed_scores(
    session: AsyncSession,
    *,
    aco_id: str,
    batch: list[EpisodeSpending],
    cutoff: date,
    uploads: Sequence[str] | None,
) -> list[EpisodeSpending]:
    """The batch with a computed score where no score was uploaded (risk.py)."""
    wanted = {
        e.id: risk.Wanted(e.mbi, e.alignment_seq, e.trigger_date.year) for e in batch if e.hcc_score is None
    }
    if not wanted:
        return batch
    scores = await risk.computed_scores(
        session, aco_id=aco_id, wanted=list(set(wanted.values())), cutoff=cutoff, uploads=uploads
    )
    source = risk.model_source()
    out: list[EpisodeSpending] = []
    for episode in batch:
        score = scores.get(wanted[episode.id]) if episode.id in wanted else None
        out.append(episode if score is None else episode._replace(hcc_score=score, hcc_source=source))
    return out


def _to_schema(episode: EpisodeSpending, cutoff: date) -> EpisodeOut:
    return EpisodeOut(
        id=episode.id,
        mbi=episode.mbi,
        trigger_date=episode.trigger_date,
        end_date=episode.end_date,
        trigger_claim_id=episode.trigger_claim_id,
        trigger_line_number=episode.trigger_line_number,
        status=episode.status(cutoff),
        exclusion_reason=episode.exclusion_reason,
        actual_spending=episode.spending,
        risk_factor=episode.risk_factor_id,
    )


async def episode_evidence(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    episode_id: str,
    cutoff: date,
    limit: int,
    cursor: str | None,
) -> EpisodeEvidence:
    """The claim lines behind one episode of the arrangement in force as of ``cutoff`` (a
    preview: every stored upload is read, nothing is stored). NotFound for an unknown episode."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    found: EpisodeSpending | None = None
    # The evidence shows claim lines, not scores: none is computed.
    async with computed_episodes(
        session, arrangement=arrangement, cutoff=cutoff, episode_id=episode_id, risk_scores=False
    ) as episodes:
        async for episode in episodes:
            found = episode
    if found is None:
        raise NotFound(f"arrangement {arrangement_id} has no episode {episode_id} as of {cutoff}")
    window = evidence.Window(
        id=found.id,
        mbi=found.mbi,
        trigger_date=found.trigger_date,
        end_date=found.end_date,
        trigger_claim_id=found.trigger_claim_id,
        status=found.status(cutoff),
        exclusion_reason=found.exclusion_reason,
        spending=found.spending,
    )
    return await evidence.evidence(
        session,
        arrangement=arrangement,
        window=window,
        cutoff=cutoff,
        uploads=None,
        limit=limit,
        cursor=cursor,
    )


def _decode_after(cursor: str | None) -> tuple[str, date] | None:
    if cursor is None:
        return None
    value = decode_cursor(cursor)
    try:
        mbi, _, day = str(value).partition("|")
        return mbi, date.fromisoformat(day)
    except ValueError as exc:
        raise Unprocessable(
            "the cursor is not one this service issued",
            errors=[FieldError(location="query.cursor", message="invalid cursor")],
        ) from exc


async def list_page(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    cutoff: date,
    limit: int,
    cursor: str | None,
) -> tuple[list[EpisodeOut], str | None]:
    """One page of the arrangement's episodes as of ``cutoff`` (only as much is detected as the
    page needs: detection runs beneficiary by beneficiary from the cursor on)."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    items: list[EpisodeOut] = []
    # The list shows no scores: none is computed.
    async with computed_episodes(
        session,
        arrangement=arrangement,
        cutoff=cutoff,
        after=_decode_after(cursor),
        limit=limit + 1,
        risk_scores=False,
    ) as episodes:
        async for episode in episodes:
            items.append(_to_schema(episode, cutoff))
    if len(items) <= limit:
        return items, None
    items = items[:limit]
    return items, encode_cursor(f"{items[-1].mbi}|{items[-1].trigger_date.isoformat()}")
