"""Business logic: services own the rules and the transactions."""
