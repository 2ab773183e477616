"""Browser tests: the live server is werkzeug's development server on a thread."""

from __future__ import annotations

import pytest


def pytest_collection_modifyitems(items):
    # When Chromium drops a connection in the middle of a static file (a service worker's fetch
    # cancelled by a navigation, a page closed), werkzeug's development server leaves that file
    # to the garbage collector, and Python reports an unclosed file. That is the test harness's
    # server, not the application (production serves with gunicorn), so only this warning is
    # ignored, and only here.
    unraisable = pytest.mark.filterwarnings(
        r"ignore:Exception ignored in. <_io\.FileIO name=.*/static/:pytest.PytestUnraisableExceptionWarning"
    )
    resource = pytest.mark.filterwarnings(r"ignore:unclosed file <_io\.FileIO name=.*/static/:ResourceWarning")
    for item in items:
        if item.nodeid.startswith("tests/browser/"):
            item.add_marker(unraisable)
            item.add_marker(resource)
