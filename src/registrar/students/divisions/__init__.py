"""Divisions: the tree of departments, programs, years and sections with counts, and statistics."""
