"""The SSRF guard: webhooks reach only public http(s) addresses.

A registered URL is checked when it is registered and again, after a fresh DNS resolution,
right before every delivery (a name may be re-pointed at an internal address later). The worker
then connects to the very address that was checked, so a second lookup cannot differ.
Names listed in ``Settings.webhook_allowed_hosts`` skip the address check (development, tests).

Addresses that carry an IPv4 address inside an IPv6 one are judged by what they lead to:
IPv4-mapped (``::ffff:a.b.c.d``) and NAT64 (``64:ff9b::/96``) by the embedded IPv4 address;
6to4 (``2002::/16``), Teredo (``2001::/32``) and IPv4-compatible (``::a.b.c.d``) addresses are
refused outright (deprecated transition mechanisms whose relays reach the embedded address).
``192.0.0.0/24`` (IETF protocol assignments) is refused as a whole.

A host name that does not resolve, resolves too slowly or resolves to any non-public address
gets one and the same answer, so that registering URLs cannot be used to probe internal DNS.
A URL with whitespace or control characters is refused before anything else.
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

IETF_PROTOCOL_ASSIGNMENTS = ipaddress.ip_network("192.0.0.0/24")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")

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
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address_problem(address.ipv4_mapped)
        if address in NAT64:
            embedded = address_problem(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
            return f"a NAT64 address of {embedded}" if embedded else None
        if address in SIX_TO_FOUR:
            return "a 6to4 address (it leads to the IPv4 address it embeds)"
        if address.teredo is not None:
            return "a Teredo address (it leads to the IPv4 address it embeds)"
        if address in IPV4_COMPATIBLE and int(address) > 1:
            return "an IPv4-compatible address (deprecated)"
    elif address in IETF_PROTOCOL_ASSIGNMENTS:
        return "a special-purpose address (192.0.0.0/24)"
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
    if any(ch.isspace() or ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in url):
        raise UnsafeUrl("the URL holds whitespace or control characters")
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
        problem = address_problem(literal)
        if problem:
            raise UnsafeUrl(f"the host {host} is {problem}")
        return Target(host=host, port=port, addresses=(str(literal),))
    # For a name, every failure reads the same: whether it did not resolve, resolved too slowly
    # or resolved to an internal address is not told (a tenant could map internal DNS with it).
    refused = UnsafeUrl(f"the host {host} does not resolve to public addresses only")
    try:
        addresses = await asyncio.wait_for(resolver(host, port), RESOLVE_TIMEOUT_SECONDS)
    except (TimeoutError, OSError, UnicodeError) as exc:
        raise refused from exc
    try:
        if not addresses or any(
            address_problem(ipaddress.ip_address(text.split("%", 1)[0])) for text in addresses
        ):
            raise refused
    except ValueError as exc:  # not an address at all
        raise refused from exc
    return Target(host=host, port=port, addresses=tuple(addresses))
