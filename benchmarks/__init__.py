"""Panoh's benchmarks: ``make bench`` (``python -m benchmarks.run``) times a real server on a demo database."""
