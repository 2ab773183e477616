"""People registered twice: ``matching`` (pure: blocking keys and pair scores, with ``normalise`` for
names in Latin, Arabic and Cyrillic script) and the services, review pages and API built on it."""
