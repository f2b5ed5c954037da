"""Request and response bodies of the academic-structure API."""
