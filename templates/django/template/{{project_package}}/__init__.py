"""The Django project: settings, URLs, WSGI and ASGI entry points, errors, logging."""
