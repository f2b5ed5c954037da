"""Who did what to which record, and when."""
