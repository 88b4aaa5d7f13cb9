"""What the app keeps: home folder, accounts, credentials, drafts, outbox and history."""
