"""The hand-written layer over the generated client (``cara_client.generated``).

``Cara`` holds an API key and calls any generated operation through :meth:`Cara.call`, which
sends the key as a bearer token, gives every unsafe call an ``Idempotency-Key`` (one per logical
call, reused by its retries), retries what is safe to retry (connection failures, 429 and 503
after ``Retry-After``, and a 409 saying the same Idempotency-Key is still being answered),
and turns every problem document into a typed exception. Around it: an
iterator over cursor pages, ETag read-then-``If-Match`` helpers for signing and revising, and
uploads streamed from a file path with a progress callback.
"""

from __future__ import annotations

import inspect
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, BinaryIO

import httpx

from cara_client.generated import AuthenticatedClient
from cara_client.generated.api.arrangements import get_arrangement, revise_arrangement, sign_arrangement
from cara_client.generated.api.uploads import upload_alignment, upload_claims
from cara_client.generated.errors import UnexpectedStatus
from cara_client.generated.models import (
    ArrangementOut,
    ProblemDetails,
    SignatureCreate,
    Terms,
    TermsChange,
    UploadAlignmentContentEncoding,
    UploadAlignmentOnError,
    UploadClaimsContentEncoding,
    UploadClaimsOnError,
    UploadReport,
)
from cara_client.generated.types import UNSET, File, Response, Unset

Progress = Callable[[int, int], None]
"""Called as ``progress(bytes_sent, total_bytes)`` while an upload streams."""

CHUNK_BYTES = 256 * 1024


class Problem(Exception):
    """An RFC 9457 problem the service answered; ``problem`` is the parsed document."""

    def __init__(self, problem: ProblemDetails, headers: httpx.Headers | dict[str, str] | None = None) -> None:
        self.problem = problem
        self.status = problem.status
        self.type = problem.type_
        self.title = problem.title
        self.detail = problem.detail if isinstance(problem.detail, str) else None
        self.headers = httpx.Headers(headers or {})
        super().__init__(f"{self.status} {self.title}" + (f": {self.detail}" if self.detail else ""))

    def __getitem__(self, name: str) -> Any:
        """A member of the problem beyond the standard ones (``current_etag``, ``rows_rejected``...)."""
        return self.problem.additional_properties[name]


class BadRequest(Problem):
    """400."""


class Unauthorized(Problem):
    """401: no, a malformed, unknown or revoked API key."""


class Forbidden(Problem):
    """403: your key's role may not do this."""


class NotFound(Problem):
    """404: no such resource, or another organisation's."""


class Conflict(Problem):
    """409: not possible in the resource's current state (or a stale terms hash)."""


class PreconditionFailed(Problem):
    """412: the resource changed since you read its ETag; read it again."""


class PayloadTooLarge(Problem):
    """413."""


class UnsupportedMediaType(Problem):
    """415."""


class Unprocessable(Problem):
    """422: invalid input; ``problem.errors`` lists each bad value (or upload row)."""


class PreconditionRequired(Problem):
    """428: the change needs ``If-Match``."""


class RateLimited(Problem):
    """429: this key's budget is spent; ``retry_after`` seconds until it frees up."""

    @property
    def retry_after(self) -> int:
        return int(self.headers.get("retry-after", "1"))


class Unavailable(Problem):
    """503: retry shortly."""


PROBLEM_TYPES: dict[int, type[Problem]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
    413: PayloadTooLarge,
    415: UnsupportedMediaType,
    422: Unprocessable,
    428: PreconditionRequired,
    429: RateLimited,
    503: Unavailable,
}

_RETRIED_STATUSES = (429, 503)


def _retryable(problem: Problem) -> bool:
    """429 and 503, and the 409 of a request whose Idempotency-Key is still being answered
    (the first attempt is finishing: the retry receives its response)."""
    return problem.status in _RETRIED_STATUSES or problem.type.endswith("/idempotency-in-progress")


def problem_from(status: int, content: bytes, headers: httpx.Headers | dict[str, str]) -> Problem:
    """The typed exception for an error response (a problem document, or a bare status)."""
    try:
        document = ProblemDetails.from_dict(httpx.Response(status, content=content).json())
    except (ValueError, KeyError, TypeError):
        document = ProblemDetails(type_="about:blank", title=f"HTTP {status}", status=status)
    return PROBLEM_TYPES.get(status, Problem)(document, headers)


@dataclass(frozen=True)
class Read:
    """A resource and the ETag it was read with."""

    value: Any
    etag: str


class Cara:
    """A client of the CARA API acting with one API key.

    >>> cara = Cara("https://cara.example.org", "cara_...")          # doctest: +SKIP
    >>> from cara_client.generated.api.arrangements import list_arrangements
    >>> for arrangement in cara.pages(list_arrangements, status="executed"):  # doctest: +SKIP
    ...     print(arrangement.id)
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        timeout: float = 60.0,
        retries: int = 3,
        max_wait: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.api = AuthenticatedClient(
            base_url=base_url.rstrip("/"),
            token=api_key,
            timeout=httpx.Timeout(timeout),
            raise_on_unexpected_status=True,
        )
        self.retries = retries
        self.max_wait = max_wait
        self.sleep = sleep

    def close(self) -> None:
        self.api.get_httpx_client().close()

    def __enter__(self) -> Cara:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # ---- any operation ---------------------------------------------------------------------

    def call_detailed(self, operation: ModuleType, *args: Any, **kwargs: Any) -> Response[Any]:
        """Call ``operation`` (a module of ``cara_client.generated.api``); the whole response.

        An unsafe operation that takes an ``Idempotency-Key`` gets a fresh one unless you pass
        ``idempotency_key=``; its retries send the same key, so the service acts once.
        """
        parameters = inspect.signature(operation.sync_detailed).parameters
        if "idempotency_key" in parameters and kwargs.get("idempotency_key", UNSET) is UNSET:
            kwargs["idempotency_key"] = str(uuid.uuid4())
        return self._retrying(lambda: operation.sync_detailed(*args, client=self.api, **kwargs))

    def call(self, operation: ModuleType, *args: Any, **kwargs: Any) -> Any:
        """Call ``operation``; its parsed body, or a :class:`Problem` raised."""
        return self.call_detailed(operation, *args, **kwargs).parsed

    def pages(self, operation: ModuleType, *args: Any, **kwargs: Any) -> Iterator[Any]:
        """Every item of a listing, following ``next_cursor`` page after page."""
        cursor: str | Unset = UNSET
        while True:
            page = self.call(operation, *args, cursor=cursor, **kwargs)
            yield from page.items
            if not isinstance(page.next_cursor, str):
                return
            cursor = page.next_cursor

    def _retrying(self, send: Callable[[], Response[Any]]) -> Response[Any]:
        attempt = 0
        while True:
            attempt += 1
            try:
                response = send()
            except UnexpectedStatus as exc:
                problem = problem_from(exc.status_code, exc.content, {})
                if _retryable(problem) and attempt <= self.retries:
                    self.sleep(self._wait(problem.headers, attempt))
                    continue
                raise problem from None
            except httpx.TransportError:
                if attempt > self.retries:
                    raise
                self.sleep(min(self.max_wait, 0.5 * 2 ** (attempt - 1)))
                continue
            if response.status_code < 400:
                return response
            problem = problem_from(response.status_code, response.content, dict(response.headers))
            if _retryable(problem) and attempt <= self.retries:
                self.sleep(self._wait(problem.headers, attempt))
                continue
            raise problem

    def _wait(self, headers: httpx.Headers, attempt: int) -> float:
        retry_after = headers.get("retry-after", "")
        seconds = float(retry_after) if retry_after.isdigit() else 0.5 * 2 ** (attempt - 1)
        return min(self.max_wait, max(seconds, 0.0))

    # ---- read, then change with If-Match ---------------------------------------------------

    def read_arrangement(self, arrangement_id: str) -> Read:
        """The arrangement and its ETag (what ``If-Match`` of a change must carry)."""
        response = self.call_detailed(get_arrangement, arrangement_id)
        return Read(response.parsed, response.headers["etag"])

    def sign_arrangement(self, arrangement_id: str, *, signer_name: str, signer_title: str) -> ArrangementOut:
        """Sign the version you just read: its terms hash and its ETag, so that terms changed
        meanwhile are never signed (a :class:`Conflict` or :class:`PreconditionFailed`)."""
        read = self.read_arrangement(arrangement_id)
        body = SignatureCreate(signer_name=signer_name, signer_title=signer_title, terms_sha256=read.value.terms_sha256)
        result: ArrangementOut = self.call(sign_arrangement, arrangement_id, body=body, if_match=read.etag)
        return result

    def revise_arrangement(
        self, arrangement_id: str, change: Callable[[Terms], Terms], *, attempts: int = 3
    ) -> ArrangementOut:
        """Apply ``change`` to the current terms and send them with ``If-Match``; if someone
        changed the arrangement in between (412), read it again and re-apply ``change``."""
        for attempt in range(1, attempts + 1):
            read = self.read_arrangement(arrangement_id)
            terms = change(Terms.from_dict(read.value.terms.to_dict()))
            try:
                result: ArrangementOut = self.call(
                    revise_arrangement, arrangement_id, body=TermsChange(terms=terms), if_match=read.etag
                )
                return result
            except PreconditionFailed:
                if attempt == attempts:
                    raise
        raise AssertionError("unreachable")

    # ---- uploads ---------------------------------------------------------------------------

    def upload(
        self,
        kind: str,
        path: str | Path,
        *,
        on_error: str = "reject",
        progress: Progress | None = None,
    ) -> UploadReport:
        """Stream a claims or alignment file (``kind``) from ``path``: ``.csv`` or ``.ndjson``
        (``.jsonl``), gzip-compressed if it ends in ``.gz`` (sent compressed). The service keeps
        one copy of identical content, so a retry after a lost response is safe: it answers
        the first upload's report. A rejected upload raises :class:`Unprocessable`."""
        operation, on_error_type, encoding_type = _UPLOADS[kind]
        path = Path(path)
        suffixes = [s.lower() for s in path.suffixes]
        gzip = bool(suffixes) and suffixes[-1] == ".gz"
        if gzip:
            suffixes.pop()
        media_type = _MEDIA_TYPES.get(suffixes[-1] if suffixes else "")
        if media_type is None:
            raise ValueError(f"{path.name}: name a .csv or .ndjson file (optionally .gz)")
        total = path.stat().st_size

        def send() -> Response[Any]:
            with path.open("rb") as stream:
                chunks = _Chunks(stream, total, progress)
                response: Response[Any] = operation.sync_detailed(
                    client=self.api,
                    body=File(payload=chunks, file_name=path.name, mime_type=media_type),  # type: ignore[arg-type]
                    on_error=on_error_type(on_error),
                    content_encoding=encoding_type("gzip") if gzip else UNSET,
                )
                return response

        report = self._retrying(send).parsed
        assert isinstance(report, UploadReport)
        return report


_UPLOADS: dict[str, tuple[ModuleType, type[Any], type[Any]]] = {
    "claims": (upload_claims, UploadClaimsOnError, UploadClaimsContentEncoding),
    "alignment": (upload_alignment, UploadAlignmentOnError, UploadAlignmentContentEncoding),
}
_MEDIA_TYPES = {".csv": "text/csv", ".ndjson": "application/x-ndjson", ".jsonl": "application/x-ndjson"}


class _Chunks:
    """A file read in chunks for httpx to stream, reporting progress as it goes."""

    def __init__(self, stream: BinaryIO, total: int, progress: Progress | None) -> None:
        self.stream = stream
        self.total = total
        self.progress = progress

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        if self.progress:
            self.progress(0, self.total)
        while chunk := self.stream.read(CHUNK_BYTES):
            sent += len(chunk)
            yield chunk
            if self.progress:
                self.progress(sent, self.total)
