"""Departments, programs, years, terms, courses, sections, timetables, rooms and faculty."""
