"""CSV import and export of students, courses, sections, rosters and batch enrollments."""
