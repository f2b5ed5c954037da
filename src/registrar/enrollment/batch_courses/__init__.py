"""Courses assigned to a batch: auto-enrollment of its students, careful cancelling."""
