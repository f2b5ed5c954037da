"""K-12 continuing-student enrollment (seed 004): `POST /api/v2/enrollment/continuing/process`."""
