"""A proposal's target price taken from an episode analysis (docs/analyses.md).

Analyses sit above arrangements in the layers (they read arrangements to tell covered episodes
from leakage), so this module cannot read one itself: the analyses domain registers the resolver
at start-up (service/bootstrap.py), and a proposal calls it through :func:`resolve`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.schemas import (
    ArrangementCreate,
    ProposedTerms,
    TargetPriceFromAnalysis,
    TargetPriceSource,
    Terms,
)
from service.kit.errors import FieldError, Unprocessable

LOCATION = "body.terms.target_price"
Resolver = Callable[
    [AsyncSession, Principal, TargetPriceFromAnalysis, ArrangementCreate],
    Awaitable[tuple[Decimal, TargetPriceSource]],
]
_resolvers: list[Resolver] = []


def register(resolver: Resolver) -> None:
    """Install the resolver (idempotent: the one registered last is used)."""
    _resolvers[:] = [resolver]


async def terms_of(session: AsyncSession, *, viewer: Principal, data: ArrangementCreate) -> Terms:
    """The proposal's terms with a plain decimal target price (resolved from the analysis if
    asked, its provenance in ``target_price_source``)."""
    proposed: ProposedTerms = data.terms
    if proposed.target_price_source is not None:
        raise Unprocessable(
            "target_price_source is set by the service",
            errors=[
                FieldError(
                    location="body.terms.target_price_source",
                    message='send target_price as {"from_analysis": "<id>"} instead',
                )
            ],
        )
    values: dict[str, Any] = dict(proposed)
    if isinstance(proposed.target_price, TargetPriceFromAnalysis):
        if not _resolvers:
            raise RuntimeError("no target price resolver registered (service.bootstrap)")
        price, source = await _resolvers[0](session, viewer, proposed.target_price, data)
        values.update(target_price=price, target_price_source=source)
    return Terms.model_validate(values)


def check_kept_source(terms: Terms, previous: Terms, *, location: str) -> None:
    """A revision or amendment may keep the previous version's ``target_price_source`` with its
    price, never write one of its own."""
    if terms.target_price_source is None:
        return
    if (
        terms.target_price_source != previous.target_price_source
        or terms.target_price != previous.target_price
    ):
        raise Unprocessable(
            "target_price_source is set by the service",
            errors=[
                FieldError(
                    location=f"{location}.target_price_source",
                    message="only the previous version's, with its target_price, may be kept",
                )
            ],
        )


def unresolvable(message: str, *, location: str = LOCATION) -> Unprocessable:
    return Unprocessable(
        "the target price cannot be taken from that analysis",
        errors=[FieldError(location=location, message=message)],
    )
