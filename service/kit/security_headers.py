"""Security headers on every response. The content security policy depends on what the path
serves; which paths are the interactive docs and which are self-contained documents is the app's
knowledge, passed in (kit knows no route)."""

from __future__ import annotations

from dataclasses import dataclass

_API_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_CSP_API = b"default-src 'none'; frame-ancestors 'none'"
# The docs page runs Swagger UI's script and styles from this service only (no CDN).
_CSP_DOCS = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)
# A document (self-contained HTML): inline styles, nothing else.
_CSP_DOCUMENT = b"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


@dataclass(frozen=True)
class SecurityHeaders:
    """``docs_prefixes``: paths of the interactive docs (their script and styles allowed);
    ``document_suffixes``: paths ending so serve self-contained HTML (inline styles allowed);
    ``no_store_prefixes``: API paths whose answers no cache keeps. Any other path: nothing but
    the response itself."""

    docs_prefixes: tuple[str, ...] = ()
    document_suffixes: tuple[str, ...] = ()
    no_store_prefixes: tuple[str, ...] = ()

    def policy(self, path: str) -> list[tuple[bytes, bytes]]:
        if path.startswith(self.docs_prefixes):
            csp = _CSP_DOCS
        elif path.endswith(self.document_suffixes):
            csp = _CSP_DOCUMENT
        else:
            csp = _CSP_API
        return [*_API_HEADERS, (b"content-security-policy", csp)]

    def caching(self, path: str) -> list[tuple[bytes, bytes]]:
        return [(b"cache-control", b"no-store")] if path.startswith(self.no_store_prefixes) else []
