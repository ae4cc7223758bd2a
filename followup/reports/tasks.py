"""Celery tasks for report builds (thin wrappers around followup.reports.services)."""
