"""The measurement and verdict engine: objectives compiled to set-based queries."""

__all__ = [
    "business_time",
    "connection",
    "drill",
    "evaluate",
    "evidence",
    "grids",
    "kinds",
    "local_time",
    "measure",
    "planner",
    "records",
    "rows",
    "sources",
    "spark",
    "sql",
]
