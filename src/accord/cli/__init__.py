"""The ``accord`` command line."""

__all__ = [
    "admin",
    "agreements",
    "audit",
    "compliance",
    "connectors",
    "demo",
    "diff",
    "docs",
    "evaluate",
    "evidence",
    "interchange",
    "main",
    "obligations",
    "output",
    "render",
    "runtime",
    "sample",
    "serve",
    "worker",
]
