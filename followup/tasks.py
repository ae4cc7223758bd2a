"""Celery tasks of the follow-up (thin wrappers around followup.services)."""
