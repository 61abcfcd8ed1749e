"""Readers turn files (TOML models, CSV and Excel registers and budgets) into core objects."""
