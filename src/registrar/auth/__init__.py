"""Users, passwords, tokens and login."""
