"""SMTP sessions: security modes, AUTH, chunked sending, transcript and error taxonomy."""
