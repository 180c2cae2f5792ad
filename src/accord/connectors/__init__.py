"""Connectors: how measurements reach Accord from outside (pushed batches, later more)."""

__all__ = [
    "batches",
]
