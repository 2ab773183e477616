"""What happens to a household that the packages above registration react to (the layer order allows no import
of them from here). Each receiver is connected by its package's ``connect()``, which ``app.factory`` calls.

* :data:`household_left`: the household no longer lives in the camp's shelter: it departed, became inactive,
  left for another camp, or its last member was merged into another record. Sent with the household as sender
  and ``session``, ``actor`` and ``reason`` (``departed``, ``inactive``, ``transferred`` or ``merged``).
  ``camps.allocation`` frees its plot.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

household_left = _signals.signal("household-left")
