"""Seed 002's load scenarios (scenarios.py) and the command that runs them (`python -m
locustfiles`, `make loadtest`)."""
