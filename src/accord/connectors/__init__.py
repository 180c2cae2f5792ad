"""Connectors: how measurements reach Accord from outside (data files, pushed batches,
Prometheus), objectives exchanged with SRE tools (OpenSLO, Sloth), and evidence bundles' zip
files."""

__all__ = [
    "archives",
    "batches",
    "checked",
    "credentials",
    "files",
    "notify",
    "openslo",
    "prometheus",
    "registry",
    "signing",
    "status_feeds",
    "tickets",
]
