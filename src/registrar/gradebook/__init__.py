"""The gradebook: grades and attendance of a section's roster, and completing its term."""
