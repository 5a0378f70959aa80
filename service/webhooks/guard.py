"""The SSRF guard: webhooks reach only public http(s) addresses.

A registered URL is checked when it is registered and again, after a fresh DNS resolution,
right before every delivery (a name may be re-pointed at an internal address later). The worker
then connects to the very address that was checked, so a second lookup cannot differ.
Names listed in ``Settings.webhook_allowed_hosts`` skip the address check (development, tests).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud instance metadata services (AWS, GCP, Azure, OpenStack; AWS's IPv6 one). The IPv4 one is
# link-local anyway; they are named so that no future rule change lets them through.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)

RESOLVE_TIMEOUT_SECONDS = 5

Resolver = Callable[[str, int], Awaitable[list[str]]]


class UnsafeUrl(ValueError):
    """The URL may not be used for webhooks; the message says why (safe to show to the owner)."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where to connect: the URL's host name and port, and the checked addresses to use, in the
    resolver's order (empty for an allowed host: it is reached by name, like any local service)."""

    host: str
    port: int
    addresses: tuple[str, ...]


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (system resolver, without blocking the event loop)."""
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def address_problem(address: IpAddress) -> str | None:
    """Why a webhook may not go to ``address``, or None when it is a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address_problem(address.ipv4_mapped)
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    for flag, reason in (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
    ):
        if flag:
            return reason
    if not address.is_global:
        # Shared address space (100.64.0.0/10) and other special-purpose ranges.
        return "not a public address"
    return None


def split_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL; :class:`UnsafeUrl` for anything else."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl(f"not a valid URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeUrl("only http and https URLs are allowed")
    if not parts.hostname:
        raise UnsafeUrl("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl("credentials in the URL are not allowed; authenticate with the signature")
    return scheme, parts.hostname.lower().rstrip("."), port or (443 if scheme == "https" else 80)


async def check_url(url: str, *, allowed_hosts: Sequence[str], resolver: Resolver = resolve) -> Target:
    """Resolve ``url``'s host and return the address to connect to, or raise :class:`UnsafeUrl`.

    Every resolved address must be acceptable, not just one: otherwise a name with one public
    and one internal address could be steered at the internal one.
    """
    _, host, port = split_url(url)
    if host in {h.lower().rstrip(".").strip("[]") for h in allowed_hosts}:
        return Target(host=host, port=port, addresses=())
    try:
        literal: IpAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [str(literal)]
    else:
        try:
            addresses = await asyncio.wait_for(resolver(host, port), RESOLVE_TIMEOUT_SECONDS)
        except TimeoutError as exc:
            raise UnsafeUrl(f"the host {host} did not resolve within {RESOLVE_TIMEOUT_SECONDS} s") from exc
        except (OSError, UnicodeError) as exc:
            raise UnsafeUrl(f"the host {host} does not resolve") from exc
        if not addresses:
            raise UnsafeUrl(f"the host {host} does not resolve")
    for text in addresses:
        problem = address_problem(ipaddress.ip_address(text.split("%", 1)[0]))
        if problem:
            # The address itself is not echoed: it would tell a tenant how internal names resolve.
            shown = "is" if literal is not None else "resolves to"
            raise UnsafeUrl(f"the host {host} {shown} {problem}")
    return Target(host=host, port=port, addresses=tuple(addresses))
