"""Deterministic, realistic measurement data for the example agreements (``accord sample-data``).

Generation is set-based in DuckDB; the story each example tells lives in ``scenarios``.
"""

__all__ = [
    "base",
    "cloud",
    "generate",
    "governance",
    "logistics",
    "payments",
    "scenarios",
    "sql",
    "support",
    "writer",
]
