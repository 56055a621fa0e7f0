"""HTTP layer: routes parse and answer, services decide."""
