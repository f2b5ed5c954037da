"""Queries for the academic structure; every one filters on the institution."""
