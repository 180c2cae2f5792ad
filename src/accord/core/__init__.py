"""The pure domain core: agreement model, units, calendars, validation and diff. No I/O."""

__all__ = [
    "budget",
    "calendars",
    "compliance",
    "diff",
    "evaluation",
    "exclusions",
    "expressions",
    "loader",
    "model",
    "model_errors",
    "obligations",
    "periods",
    "problems",
    "remedies",
    "renewals",
    "spec",
    "units",
    "validation",
    "verdicts",
    "yaml_text",
]
