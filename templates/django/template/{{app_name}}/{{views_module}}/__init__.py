"""HTTP views (REST framework): parse and validate, call a service, shape the response."""
