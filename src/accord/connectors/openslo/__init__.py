"""OpenSLO v1 and Sloth ``prometheus/v1`` files in, OpenSLO v1 out: agreements' objectives
exchanged with SRE tools, with notes of what either side cannot carry."""

__all__ = ["documents", "exporter", "importer", "indicators", "promql", "skeleton", "sloth"]
