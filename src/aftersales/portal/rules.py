"""Pure rules of the portal: who a client is, and when its failed lookups stop it for a while."""

import ipaddress
import math
from datetime import datetime, timedelta

# CONTRACT.md "Portal": from one client, the 11th failed lookup within 10 minutes and every
# lookup after it in that window → 429.
FAILED_LOOKUPS_ALLOWED = 10
FAILED_LOOKUP_WINDOW = timedelta(minutes=10)


def client_address(remote_addr: str, forwarded_for: str = "", trusted_proxies: int = 0) -> str:
    """The client a lookup is counted against. `REMOTE_ADDR`, unless the app is behind
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


def in_window(failed_at: datetime, now: datetime) -> bool:
    """A failure at `failed_at` still counts at `now`."""
    return timedelta(0) <= now - failed_at < FAILED_LOOKUP_WINDOW


def blocked_until(failures: list[datetime], now: datetime) -> datetime | None:
    """When the client may look up again, given the times of its failed lookups; None when it
    may now. Blocked while `FAILED_LOOKUPS_ALLOWED` failures lie within the last
    `FAILED_LOOKUP_WINDOW`, until the oldest of those leaves the window (a sliding window)."""
    recent = sorted(at for at in failures if in_window(at, now))
    if len(recent) < FAILED_LOOKUPS_ALLOWED:
        return None
    return recent[-FAILED_LOOKUPS_ALLOWED] + FAILED_LOOKUP_WINDOW


def retry_after_seconds(until: datetime, now: datetime) -> int:
    """The Retry-After header's whole seconds (at least 1)."""
    return max(1, math.ceil((until - now).total_seconds()))
