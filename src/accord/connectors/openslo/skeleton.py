"""The agreement an import writes: placeholders where SLO files have nothing to say
(parties, term), the imported journey stages, sources, indicators and objectives, checked
by Accord's own loader before it is handed out, and the notes as its header comment."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

from ruamel.yaml import YAML

from accord.connectors.openslo.documents import InterchangeError, Notes, identifier
from accord.connectors.openslo.indicators import Measure
from accord.core.loader import load_agreement

__all__ = ["Skeleton"]


@dataclass
class Skeleton:
    """An agreement being assembled from imported objects."""

    today: dt.date
    title: str | None = None
    zone: str | None = None
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    indicators: dict[str, dict[str, Any]] = field(default_factory=dict)
    objectives: list[dict[str, Any]] = field(default_factory=list)

    def stage(self, stage_id: str, name: str, description: str | None = None) -> str:
        """The journey stage of a service (added on first mention)."""
        if stage_id not in self.stages:
            self.stages[stage_id] = {"id": stage_id, "name": str(name), "kind": "other"}
            if description:
                self.stages[stage_id]["description"] = str(description)
            self.title = self.title or str(name)
        return stage_id

    def timezone(self, zone: str, where: str, notes: Notes) -> None:
        if self.zone is None:
            self.zone = zone
        elif zone != self.zone:
            notes.add(where, f"time zone {zone} differs from {self.zone}; windows use {self.zone}")

    def measure(self, indicator_id: str, name: str, measure: Measure) -> None:
        self.sources.setdefault(str(measure.source["id"]), measure.source)
        self.indicators.setdefault(
            indicator_id, {"id": indicator_id, "name": str(name), **measure.indicator}
        )

    def data(self) -> dict[str, Any]:
        title = self.title or "Imported service level objectives"
        return {
            "apiVersion": "accord/v1",
            "kind": "Agreement",
            "metadata": {"id": identifier(title), "title": title, "version": "0.1"},
            "timezone": self.zone or "UTC",
            "parties": [
                {"id": "consumer", "name": "Consumer (fill in)", "role": "consumer"},
                {"id": "provider", "name": "Provider (fill in)", "role": "provider"},
            ],
            "term": {
                "effective": self.today.isoformat(),
                "duration": "12 months",
                "renewal": {"mode": "manual", "notice": "30 days"},
                "termination_notice": "3 months",
            },
            "journey": list(self.stages.values()),
            "sources": list(self.sources.values()),
            "indicators": list(self.indicators.values()),
            "objectives": self.objectives,
        }

    def text(self, notes: Notes) -> str:
        """The agreement as YAML, its notes as the header; checked by Accord's loader."""
        data = {key: value for key, value in self.data().items() if value != []}
        yaml = YAML()
        yaml.default_flow_style = False
        yaml.width = 100
        buffer = io.StringIO()
        yaml.dump(data, buffer)
        header = [
            "# Imported: parties and term are placeholders to fill in.",
            *(f"# {line}" for line in notes.lines),
        ]
        text = "\n".join(header) + "\n" + buffer.getvalue()
        loaded = load_agreement(text, "<imported>")
        errors = [p for p in loaded.problems if p.severity == "error"]
        if errors:
            listed = "; ".join(f"{p.path}: {p.message}" for p in errors)
            raise InterchangeError(f"the imported agreement is not valid: {listed}")
        return text
