"""Connectors: how measurements reach Accord from outside (pushed batches, Prometheus)."""

__all__ = [
    "batches",
    "prometheus",
]
