"""The service's Django app: the items API."""
