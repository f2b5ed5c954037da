"""Decisions about the academic structure; nothing here commits."""
