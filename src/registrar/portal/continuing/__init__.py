"""The seed-004 K-12 endpoint: its JSON shapes and envelope (the rules are the engine's)."""
