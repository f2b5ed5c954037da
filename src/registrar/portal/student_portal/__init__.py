"""Seed 000: the student portal's course endpoints, in the seed's exact shapes."""
