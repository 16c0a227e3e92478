"""Who a request comes from, and whether it asks a query service: what budgets and slots are keyed on."""

from __future__ import annotations

import ipaddress

from flask import request

QUERY_ENDPOINTS = frozenset({"sparql.endpoint", "reconcile.service"})
"""Endpoints whose requests run queries: they spend the query budget and take query slots."""

IPV6_NETWORK = 64
"""Prefix length an IPv6 client is known by: one subscriber usually holds a whole /64."""


def client_key() -> str:
    """The client a request comes from: its address, an IPv6 one as its /64 network.

    ``request.remote_addr`` is the socket's address, or the one ProxyFix took from ``X-Forwarded-For``
    when ``trusted_proxies`` is set.
    """
    address = request.remote_addr or "unknown"
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/{IPV6_NETWORK}", strict=False))
    return str(parsed)


def runs_queries() -> bool:
    """Whether this request is to a query service (the SPARQL endpoint or the reconciliation service)."""
    return request.endpoint in QUERY_ENDPOINTS
