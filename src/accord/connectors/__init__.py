"""Connectors: how measurements reach Accord from outside (pushed batches, Prometheus), and
objectives exchanged with SRE tools (OpenSLO, Sloth)."""

__all__ = [
    "batches",
    "checked",
    "credentials",
    "fetched",
    "openslo",
    "prometheus",
    "registry",
    "signing",
    "status_feeds",
    "tickets",
]
