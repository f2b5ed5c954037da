"""Student-facing APIs in the seeds' shapes: portal (000), courses (001), registration (002)."""
