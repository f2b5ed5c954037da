"""Seed 002 (semester registration) and seed 001 (a student's courses) endpoints."""
