"""The HTTP interface: a FastAPI application over the services (``create_app``)."""

__all__ = [
    "api",
    "app",
    "downloads",
    "guard",
    "headers",
    "problems",
    "security",
    "timeouts",
    "web",
]
