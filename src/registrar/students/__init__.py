"""Students, batches (university batches and K-12 homeroom sections), divisions."""
