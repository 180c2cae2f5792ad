"""The measurement and verdict engine: objectives compiled to set-based queries."""

__all__ = [
    "business_time",
    "evaluate",
    "evidence",
    "measures",
    "passes",
    "queries",
    "sources",
    "tickets",
]
