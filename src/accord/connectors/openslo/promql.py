"""Reading the counter selector out of the PromQL an SLO tool writes.

OpenSLO files and Sloth specs give SLIs as queries over a window, such as
``sum(rate(http_requests_total{code=~"5.."}[{{.window}}]))``. Accord reads the counters
themselves (``accord.core.model.prometheus``), so an import keeps the selector inside
``sum(…)``, ``rate(…[…])``, ``increase(…[…])`` and ``sum by (…) (…)``, and says so. Any other
query (arithmetic of two series, ``histogram_quantile``, recording rules computed
elsewhere) has no exact counter reading and is reported instead.
"""

from __future__ import annotations

import re
from typing import Final

from accord.core.model.prometheus import parse_selector

__all__ = ["counter_selector"]

_AGGREGATE: Final = re.compile(
    r"^\s*sum\s*(?:(?:by|without)\s*\([^()]*\)\s*)?\((?P<inner>.*?)\)\s*"
    r"(?:(?:by|without)\s*\([^()]*\)\s*)?$",
    re.DOTALL,
)
_RATE: Final = re.compile(
    r"^\s*(?:rate|increase|irate)\s*\((?P<inner>.*)\[[^\[\]]*\]\s*\)\s*$", re.DOTALL
)


def counter_selector(query: str) -> str | None:
    """The counter selector a query counts, or None when it is not one wrapped in
    ``sum``/``rate``/``increase``."""
    text = query.strip()
    for _ in range(3):
        if parse_selector(text) is not None:
            return " ".join(text.split())
        match = _AGGREGATE.match(text) or _RATE.match(text)
        if match is None:
            return None
        text = match.group("inner").strip()
    return None
