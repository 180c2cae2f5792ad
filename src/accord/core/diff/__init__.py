"""The semantic diff of two versions of an agreement: what changed, in plain language.

``diff_agreements(old, new)`` walks both typed agreements side by side (``walk``). Items of a
list are matched by their ``id`` or a natural key (a responsibility's ``element``, an escalation
level's number, a credit tier's rank from the mildest failure to the worst), never by position,
so reordering a list changes nothing. Values are compared by meaning: ``60m`` and ``1h`` are the
same duration, ``status<500`` and ``status < 500`` the same condition.

Every difference becomes a ``Change``. Rules (``rules``) give the fields that matter most
(targets, tolerances, credits, notice periods, incident clocks …) their category, effect and
wording; every other field still yields a change through the same walk, with the category of
its section and a sentence built from its field names, so no difference is silently missed.
Effects are judged from the consumer's side: ``tightened`` means the provider promises more.

JSON format ``accord.diff/v1``, returned by ``AgreementDiff.to_json``::

    {
      "format": "accord.diff/v1",
      "old": {"id": "payments-api", "version": "3.1", "hash": "<sha256 of the canonical form>"},
      "new": {"id": "payments-api", "version": "3.2", "hash": "…"},
      "changes": [
        {
          "path": "objectives[api-availability].target",
          "category": "objective",
          "kind": "changed",
          "old": "99.95%",
          "new": "99.99%",
          "effect": "tightened",
          "summary": "Target of 'Monthly authorisation availability' tightened from 99.95% to
                      99.99%."
        }
      ],
      "summary": {"total": 1, "tightened": 1, "loosened": 0, "neutral": 0,
                  "added": 0, "removed": 0, "changed": 1}
    }

- ``old`` / ``new`` at the top: the agreement id, its version label and
  ``Agreement.version_hash()`` (equal hashes: the same canonical document).
- ``changes``, in document order:
  - ``path``: where the change is. List items are named by key in brackets
    (``parties[payco].name``, ``remedies.credits[availability-credits].tiers[2].credit``, tiers
    ranked from the mildest failure to the worst); mapping entries by key after a dot
    (``metadata.labels.risk_tier``, ``calendars[office].hours.mon``).
  - ``category``: one of ``Category`` (``objective``, ``tolerance``, ``credit``, ``notice`` …).
  - ``kind``: ``added``, ``removed`` or ``changed``. A list of plain values (a scope, languages)
    that gains or loses members is ``changed``, with both whole lists in ``old`` and ``new``.
  - ``old`` / ``new``: the value in its normalised written form, as it would be written in the
    agreement (a string for units, dates and text; a number or boolean; a mapping for a whole
    item or section; a list for a list of values); ``null`` when absent.
  - ``effect``: ``tightened`` (better for the consumer), ``loosened`` (better for the
    provider), ``neutral`` (no better side, or values that cannot be compared) or
    ``unknown`` (a changed condition whose effect depends on the data).
  - ``summary``: one plain-language sentence.
- ``summary``: the number of changes in ``total``, per effect and per kind.

Within ``accord.diff/v1`` fields are only ever added, never renamed or removed.
"""

from __future__ import annotations

from accord.core.diff.changes import (
    FORMAT,
    AgreementDiff,
    Category,
    Change,
    ChangeKind,
    Effect,
    VersionRef,
)
from accord.core.diff.rules import Context, category_of, rule_for
from accord.core.diff.values import written
from accord.core.diff.walk import Site, Walk
from accord.core.diff.wording import sentence
from accord.core.model import Agreement

__all__ = [
    "FORMAT",
    "AgreementDiff",
    "Category",
    "Change",
    "ChangeKind",
    "Effect",
    "VersionRef",
    "conditions",
    "diff_agreements",
    "rules",
    "values",
    "walk",
    "wording",
]


def diff_agreements(old: Agreement, new: Agreement) -> AgreementDiff:
    """What changed from ``old`` to ``new``, field by field, judged from the consumer's side."""
    walk = Walk()
    walk.compare(old, new)
    context = Context(old, new)
    changes = tuple(_describe(site, context) for site in walk.sites)
    return AgreementDiff(VersionRef.of(old), VersionRef.of(new), changes)


def _describe(site: Site, context: Context) -> Change:
    rule = rule_for(site)
    effect = rule.effect(site, context)
    return Change(
        path=site.path,
        category=category_of(site, rule),
        kind=site.kind,
        old=written(site.old),
        new=written(site.new),
        effect=effect,
        summary=sentence(site, rule, effect),
    )
