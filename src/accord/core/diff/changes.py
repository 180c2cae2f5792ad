"""The result of a semantic diff: typed changes and their versioned JSON form."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from pydantic import JsonValue

from accord.core.model import Agreement

__all__ = [
    "FORMAT",
    "AgreementDiff",
    "Category",
    "Change",
    "ChangeKind",
    "Effect",
    "VersionRef",
]

#: Name and version of the JSON format written by ``AgreementDiff.to_json``.
FORMAT: Final = "accord.diff/v1"


class ChangeKind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class Effect(StrEnum):
    """Whom a change favours, judged from the consumer's side."""

    TIGHTENED = "tightened"
    LOOSENED = "loosened"
    NEUTRAL = "neutral"
    #: Changed in meaning, but which side it favours depends on the data (a new condition
    #: that selects neither a subset nor a superset of the old one's rows).
    UNKNOWN = "unknown"


class Category(StrEnum):
    """What a change is about; text output groups changes in this order."""

    METADATA = "metadata"
    PARTIES = "parties"
    TERM = "term"
    NOTICE = "notice"
    JOURNEY = "journey"
    CALENDAR = "calendar"
    SOURCE = "source"
    INDICATOR = "indicator"
    OBJECTIVE = "objective"
    TOLERANCE = "tolerance"
    EXCLUSION = "exclusion"
    CREDIT = "credit"
    REMEDY = "remedy"
    RESPONSIBILITY = "responsibility"
    ESCALATION = "escalation"
    INCIDENT = "incident"
    GOVERNANCE = "governance"
    DATA_HANDLING = "data_handling"
    CHANGE_MANAGEMENT = "change_management"
    DISPUTE = "dispute"
    SUPPORT = "support"
    COMMITMENT = "commitment"
    OTHER = "other"


@dataclass(frozen=True)
class Change:
    """One difference between two versions, with its plain-language sentence."""

    path: str
    category: Category
    kind: ChangeKind
    old: JsonValue
    new: JsonValue
    effect: Effect
    summary: str

    def to_dict(self) -> dict[str, JsonValue]:
        return {
            "path": self.path,
            "category": self.category.value,
            "kind": self.kind.value,
            "old": self.old,
            "new": self.new,
            "effect": self.effect.value,
            "summary": self.summary,
        }


@dataclass(frozen=True)
class VersionRef:
    """Which agreement version one side of a diff is: its id, version label and hash."""

    id: str
    version: str
    hash: str

    @classmethod
    def of(cls, agreement: Agreement) -> VersionRef:
        return cls(agreement.metadata.id, agreement.metadata.version, agreement.version_hash())

    def to_dict(self) -> dict[str, JsonValue]:
        return {"id": self.id, "version": self.version, "hash": self.hash}


@dataclass(frozen=True)
class AgreementDiff:
    """Every change from one version of an agreement to another, in document order."""

    old: VersionRef
    new: VersionRef
    changes: tuple[Change, ...]

    @property
    def has_changes(self) -> bool:
        return bool(self.changes)

    def counts(self) -> dict[str, int]:
        """Number of changes in total, per effect and per kind."""
        counts = {"total": len(self.changes)}
        for effect in Effect:
            counts[effect.value] = sum(change.effect is effect for change in self.changes)
        for kind in ChangeKind:
            counts[kind.value] = sum(change.kind is kind for change in self.changes)
        return counts

    def by_category(self) -> dict[Category, list[Change]]:
        """The changes grouped by category, in the order of ``Category``."""
        groups: dict[Category, list[Change]] = {}
        for category in Category:
            found = [change for change in self.changes if change.category is category]
            if found:
                groups[category] = found
        return groups

    def to_json(self) -> dict[str, JsonValue]:
        """The diff in the ``accord.diff/v1`` format documented in ``accord.core.diff``."""
        summary: dict[str, JsonValue] = dict(self.counts())
        return {
            "format": FORMAT,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "changes": [change.to_dict() for change in self.changes],
            "summary": summary,
        }
