"""Accord: service level agreements with business partners, written as code."""

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "bootstrap",
    "cli",
    "connectors",
    "core",
    "demo",
    "engine",
    "reports",
    "server",
    "services",
    "settings",
    "store",
    "worker",
]
