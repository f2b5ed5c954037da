"""Holds: a registrar's block on a student's registration until it is released."""
