"""One plain-language sentence per change: 'Target of 'X' tightened from 99.9% to 99.95%.'"""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel

from accord.core.diff.changes import ChangeKind, Effect
from accord.core.diff.rules import Rule, gained_lost
from accord.core.diff.values import is_quantity, magnitudes, quote, shown
from accord.core.diff.walk import NOUNS, Key, Site
from accord.core.expressions import Predicate
from accord.core.remedies.spec import CreditTier
from accord.core.units import Duration

__all__ = ["sentence"]

#: Field names that read better in other words.
_PHRASES: Final = {
    "accountable": "accountable party",
    "responsible": "responsible parties",
    "consulted": "consulted parties",
    "informed": "informed parties",
    "within": "time limit",
    "where": "condition",
    "during": "peak period",
    "stage": "journey stage",
    "decided_by": "decision maker",
    "contents": "required contents",
}


def sentence(site: Site, rule: Rule, effect: Effect) -> str:
    """The change at a site in one sentence."""
    label = _label(site, rule)
    if isinstance(site.old, list) and isinstance(site.new, list):
        return _list_sentence(site, label)
    if isinstance(site.old, BaseModel) or isinstance(site.new, BaseModel):
        return _item_sentence(site, label)
    if site.kind is ChangeKind.ADDED:
        return f"{_cap(label)} set to {shown(site.new)}."
    if site.kind is ChangeKind.REMOVED:
        return f"{_cap(label)} removed (was {shown(site.old)})."
    renamed = _renamed(site)
    if renamed is not None:
        return renamed
    verb = "changed, direction unknown," if effect is Effect.UNKNOWN else _verb(site, rule, effect)
    return f"{_cap(label)} {verb} from {shown(site.old)} to {shown(site.new)}."


def _label(site: Site, rule: Rule) -> str:
    keys = site.keys
    if rule.label is not None:
        return rule.label.format(
            names=[key.name for key in keys],
            nouns=[key.noun for key in keys],
            keys=[key.key for key in keys],
        )
    last = max((i for i, part in enumerate(site.parts) if isinstance(part, Key)), default=-1)
    fields = [str(part) for part in site.parts[last + 1 :]]
    phrase = " ".join(_PHRASES.get(field, field.replace("_", " ")) for field in fields)
    owner = " of ".join(key.noun for key in reversed(keys))
    return f"{phrase} of {owner}" if phrase and owner else phrase or owner


def _item_sentence(site: Site, label: str) -> str:
    if site.kind is ChangeKind.ADDED and isinstance(site.new, CreditTier):
        return f"{_cap(label)} added: {_tier(site.new)}."
    if site.kind is ChangeKind.REMOVED and isinstance(site.old, CreditTier):
        return f"{_cap(label)} removed (was {_tier(site.old)})."
    if site.kind is not ChangeKind.CHANGED:
        return f"{_cap(label)} {site.kind.value}."
    old_formula, new_formula = _formula(site.old), _formula(site.new)
    if old_formula is None or new_formula is None:
        return f"{_cap(label)} replaced."
    old_kind, new_kind = getattr(site.old, "kind", "?"), getattr(site.new, "kind", "?")
    return (
        f"{_cap(label)} redefined from {old_kind} to {new_kind}: its formula is now "
        f"{quote(new_formula)} (was {quote(old_formula)})."
    )


def _tier(tier: CreditTier) -> str:
    side = "below" if tier.below is not None else "above"
    return f"{shown(tier.credit)} credit {side} {shown(tier.threshold)}"


def _formula(value: object) -> str | None:
    formula = getattr(value, "formula", None)
    return str(formula()) if callable(formula) else None


def _list_sentence(site: Site, label: str) -> str:
    gained, lost = gained_lost(site)
    if gained and not lost:
        return f"{shown(gained)} added to {label}."
    if lost and not gained:
        return f"{shown(lost)} removed from {label}."
    return f"{_cap(label)} changed from {shown(site.old)} to {shown(site.new)}."


def _renamed(site: Site) -> str | None:
    """'Party 'PayCo Payments Ltd' renamed to 'PayCo Ltd'.' for the name of a keyed item."""
    if len(site.parts) < 2 or site.parts[-1] != "name" or not isinstance(site.parts[-2], Key):
        return None
    item = site.parts[-2]
    template = NOUNS.get(item.field, "{name}")
    outer = [key.noun for key in reversed(site.keys[:-1])]
    owner = " of ".join([template.format(name=shown(site.old), key=item.key), *outer])
    return f"{_cap(owner)} renamed to {shown(site.new)}."


def _verb(site: Site, rule: Rule, effect: Effect) -> str:
    if (rule.strict or isinstance(site.old, Predicate)) and effect is not Effect.NEUTRAL:
        return effect.value
    pair = magnitudes(site.old, site.new)
    if pair is None or pair[0] == pair[1] or not is_quantity(site.old):
        return "changed"
    if isinstance(site.old, Duration):
        return "lengthened" if pair[1] > pair[0] else "shortened"
    return "raised" if pair[1] > pair[0] else "lowered"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]
