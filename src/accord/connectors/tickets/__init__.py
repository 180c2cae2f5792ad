"""Ticket-system exports (Jira Service Management, ServiceNow, Zendesk) read as Accord's
tickets and status changes through a preset per system."""

__all__ = ["connector", "jira", "servicenow", "sql", "zendesk"]
