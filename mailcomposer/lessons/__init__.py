"""Guided exercises against the built-in local server: what to do, questions, feedback."""
