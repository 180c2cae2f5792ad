"""The ``accord`` command line."""

__all__ = [
    "admin",
    "agreements",
    "audit",
    "compliance",
    "connectors",
    "demo",
    "demo_store",
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
