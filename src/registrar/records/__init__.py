"""The academic record, read from enrollment rows: GPA, credits, attendance, prerequisites."""
