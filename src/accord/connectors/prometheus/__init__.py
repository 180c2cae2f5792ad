"""The Prometheus connector: a source's series read from a Prometheus server's HTTP API,
paged by time, cached per page, checked and handed to the engine as rows."""

__all__ = ["client", "connector", "fetch", "series"]
