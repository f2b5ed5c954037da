"""Assigning students to batches, one by one or in bulk by criteria, all or nothing."""
