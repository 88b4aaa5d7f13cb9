"""Pytest fixtures for SMTP test servers (owned by the smtp engineer)."""
