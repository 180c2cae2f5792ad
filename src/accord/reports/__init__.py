"""Rendering agreements and results to HTML, Markdown and PDF; deterministic output."""
