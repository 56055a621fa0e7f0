"""Data access: queries live here, business rules do not."""
