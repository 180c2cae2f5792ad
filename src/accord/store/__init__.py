"""The store: SQLAlchemy 2 tables, migrations, repositories, tenancy and the audit chain.

It never imports the engine, the services or the interfaces.
"""

__all__ = [
    "audit",
    "db",
    "governance_rows",
    "incident_rows",
    "locks",
    "migrations",
    "report_rows",
    "repositories",
    "review_rows",
    "tables",
    "tenancy",
]
