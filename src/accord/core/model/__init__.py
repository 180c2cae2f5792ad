"""The typed model of the agreement language (accord/v1)."""

from accord.core.model.agreement import API_VERSION, Agreement

__all__ = ["API_VERSION", "Agreement"]
