"""The enrollment engine: rules, seats, waitlists, batch courses."""
