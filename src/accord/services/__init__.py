"""Use cases: the functions every interface calls."""

__all__ = [
    "agreements",
    "container",
    "credentials",
    "errors",
    "evaluation",
    "evidence",
    "external",
    "ingestion",
    "organisations",
    "overview",
    "permissions",
    "portfolio",
    "ports",
    "recording",
    "scheduling",
    "trail",
    "uow",
    "verdict_views",
    "verdicts",
]
