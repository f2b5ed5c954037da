"""The registrar's pages under `/office/`."""
