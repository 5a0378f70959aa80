"""The arrangement lifecycle of docs/method.md section 3: every transition, and who may take it.

This table is the only place that decides whether an action is allowed in a state. Anything
not listed is a 409 naming the current state and the caller's allowed actions.

Who: ``proposer`` / ``counterparty`` (the party that did not propose) / ``party`` (either)
/ ``ops``. ``sign`` from draft goes to partially_signed, or straight on when it completes the
version; the service decides between executed and pending_approval (max-flex overrides).
An amendment keeps the arrangement ``executed``; its pending version is signed like a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Literal

from service.kit.errors import Conflict

Who = Literal["proposer", "counterparty", "party", "ops"]


@dataclass(frozen=True, slots=True)
class Transition:
    action: str
    source: str
    who: Who
    targets: tuple[str, ...]


TRANSITIONS: tuple[Transition, ...] = (
    Transition("revise", "draft", "party", ("draft",)),
    Transition("revise", "partially_signed", "party", ("draft",)),
    Transition("sign", "draft", "party", ("partially_signed",)),
    Transition("sign", "partially_signed", "party", ("executed", "pending_approval")),
    # Signing a pending amendment: the arrangement stays executed (or waits for approval).
    Transition("sign", "executed", "party", ("executed", "pending_approval")),
    Transition("decline", "draft", "counterparty", ("declined",)),
    Transition("decline", "partially_signed", "counterparty", ("declined",)),
    Transition("withdraw", "draft", "proposer", ("withdrawn",)),
    Transition("withdraw", "partially_signed", "proposer", ("withdrawn",)),
    Transition("amend", "executed", "party", ("executed",)),
    Transition("terminate", "executed", "party", ("terminated",)),
    Transition("approve", "pending_approval", "ops", ("executed",)),
    # Rejecting a first execution ends it; rejecting an amendment returns to the version in force.
    Transition("reject", "pending_approval", "ops", ("rejected", "executed")),
)

STATES = (
    "draft",
    "partially_signed",
    "executed",
    "pending_approval",
    "rejected",
    "declined",
    "withdrawn",
    "terminated",
)


def role_of(*, org_id: str | None, is_ops: bool, proposer_id: str, aco_id: str, provider_id: str) -> set[str]:
    if is_ops:
        return {"ops"}
    if org_id not in (aco_id, provider_id):
        return set()
    return {"party", "proposer" if org_id == proposer_id else "counterparty"}


def allowed_actions(state: str, roles: set[str]) -> list[str]:
    return list(_allowed_actions(state, frozenset(roles)))


@cache
def _allowed_actions(state: str, roles: frozenset[str]) -> tuple[str, ...]:
    return tuple(sorted({t.action for t in TRANSITIONS if t.source == state and t.who in roles}))


def check(state: str, action: str, roles: set[str]) -> Transition:
    """The transition for ``action`` from ``state`` by a caller with ``roles``, or a 409."""
    for transition in TRANSITIONS:
        if transition.source == state and transition.action == action and transition.who in roles:
            return transition
    raise Conflict(
        f"cannot {action} an arrangement that is {state}",
        current_state=state,
        allowed_actions=allowed_actions(state, roles),
    )
