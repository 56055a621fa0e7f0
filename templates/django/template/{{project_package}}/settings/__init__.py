"""Settings per environment: ``base`` is shared; ``development``, ``test`` and ``production``
each start from it. Pick one with ``DJANGO_SETTINGS_MODULE``."""
