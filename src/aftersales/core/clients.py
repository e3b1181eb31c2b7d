"""Who a request comes from: its client's address, as counted by the limiters and the
anonymous Idempotency-Key space (`TRUSTED_PROXY_COUNT`)."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_of(request: HttpRequest) -> str:
    """The client of a request (see `client_address`)."""
    return client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.TRUSTED_PROXY_COUNT,
    )


def client_address(remote_addr: str, forwarded_for: str = "", trusted_proxies: int = 0) -> str:
    """The client a request is counted against. `REMOTE_ADDR`, unless the app is behind
    `trusted_proxies` proxies that each append to X-Forwarded-For: then the address the outermost
    of them saw (what the client wrote into the header itself is never read). An IPv6 address
    counts as its /64, which one subscriber usually holds whole (else a client could take a new
    address for every ten guesses); an IPv4-mapped one as its IPv4 address."""
    address = remote_addr
    if trusted_proxies > 0:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        if hops:
            address = hops[max(len(hops) - trusted_proxies, 0)]
    address = address.strip()
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)
