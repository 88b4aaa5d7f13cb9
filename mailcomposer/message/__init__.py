"""Drafts, addresses and MIME: the message model and its wire form (stdlib email only)."""
