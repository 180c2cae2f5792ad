"""Compliance records checked against the agreement: certifications a processor must hold,
what it declares about where and how it handles data, and the findings where they differ."""

__all__ = ["certifications", "declarations", "findings", "regions", "register"]
