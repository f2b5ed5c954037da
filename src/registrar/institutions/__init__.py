"""Institutions (tenants) and the policies each one sets."""
