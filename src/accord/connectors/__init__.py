"""Connectors: how measurements reach Accord from outside (pushed batches, Prometheus), and
objectives exchanged with SRE tools (OpenSLO, Sloth), and evidence bundles' zip files."""

__all__ = [
    "archives",
    "batches",
    "checked",
    "credentials",
    "fetched",
    "notify",
    "openslo",
    "prometheus",
    "registry",
    "signing",
    "status_feeds",
    "tickets",
]
