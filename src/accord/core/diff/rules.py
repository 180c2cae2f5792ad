"""Which side a change favours, and how the fields that matter most are named.

Effects are judged from the consumer's side. *tightened*: the provider promises more — a
higher availability target or a lower latency target (by the indicator's direction), a
narrower tolerance band, a higher credit, cap or basis, a shorter incident clock or escalation
time limit, a smaller maintenance allowance, longer notice before the provider changes
something, a new objective, credit tier or commitment. *loosened*: the opposite. *neutral*:
the change has no better side (a renamed party, a new time zone, a longer term, termination
notice that binds both parties) or the two values cannot be compared (a percentage became an
amount, business days became business hours). *unknown*: a condition changed the rows it
selects, and which side that favours cannot be decided from the conditions (see
``accord.core.diff.conditions``): a condition for good events that selects a superset of the
old rows loosens, a subset tightens; any other changed condition is changed, direction
unknown.

Every field without a rule here is still diffed: it gets the category of its section, a
neutral effect and a sentence built from its field names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from accord.core.diff.changes import Category, ChangeKind, Effect
from accord.core.diff.conditions import Relation, compare_conditions
from accord.core.diff.values import magnitudes, token
from accord.core.diff.walk import Site, field_of
from accord.core.expressions import Predicate
from accord.core.model import Agreement
from accord.core.model.measurement import Direction

__all__ = ["Context", "Rule", "category_of", "gained_lost", "rule_for"]


@dataclass(frozen=True)
class Context:
    """Both versions, for effects that depend on more than the changed value."""

    old: Agreement
    new: Agreement

    def direction_of(self, objective_id: str) -> Direction | None:
        """The direction of the objective's indicator, when both versions agree on it."""
        found = {_direction(agreement, objective_id) for agreement in (self.old, self.new)}
        return found.pop() if len(found) == 1 else None


def _direction(agreement: Agreement, objective_id: str) -> Direction | None:
    objective = next((o for o in agreement.objectives if o.id == objective_id), None)
    if objective is None:
        return None
    indicator = next((i for i in agreement.indicators if i.id == objective.indicator), None)
    return indicator.direction() if indicator is not None else None


_EffectRule = Callable[[Site, Context], Effect]


def _judge(site: Site, higher_is_better: bool) -> Effect:
    pair = magnitudes(site.old, site.new)
    if pair is None or pair[0] == pair[1]:
        return Effect.NEUTRAL
    return Effect.TIGHTENED if (pair[1] > pair[0]) == higher_is_better else Effect.LOOSENED


def _neutral(site: Site, context: Context) -> Effect:
    return Effect.NEUTRAL


def _limit(higher_is_better: bool) -> _EffectRule:
    """A value with a better side; a limit that appears tightens, one that goes loosens."""

    def effect(site: Site, context: Context) -> Effect:
        if site.kind is ChangeKind.ADDED:
            return Effect.TIGHTENED
        if site.kind is ChangeKind.REMOVED:
            return Effect.LOOSENED
        return _judge(site, higher_is_better)

    return effect


_higher_better = _limit(higher_is_better=True)
_lower_better = _limit(higher_is_better=False)


def _presence(when_added: Effect, when_removed: Effect) -> _EffectRule:
    """An item whose presence favours one side (an objective, an exclusion)."""

    def effect(site: Site, context: Context) -> Effect:
        if site.kind is ChangeKind.ADDED:
            return when_added
        return when_removed if site.kind is ChangeKind.REMOVED else Effect.NEUTRAL

    return effect


_added_tightens = _presence(Effect.TIGHTENED, Effect.LOOSENED)
_added_loosens = _presence(Effect.LOOSENED, Effect.TIGHTENED)


def gained_lost(site: Site) -> tuple[list[object], list[object]]:
    """For a list of values: the members only the new version has, and those it lost."""
    old = site.old if isinstance(site.old, list) else []
    new = site.new if isinstance(site.new, list) else []
    old_tokens, new_tokens = {token(value) for value in old}, {token(value) for value in new}
    gained = [value for value in new if token(value) not in old_tokens]
    lost = [value for value in old if token(value) not in new_tokens]
    return gained, lost


def _membership(site: Site, context: Context) -> Effect:
    """A list of commitments: gaining members tightens, losing them loosens."""
    gained, lost = gained_lost(site)
    if gained and not lost:
        return Effect.TIGHTENED
    return Effect.LOOSENED if lost and not gained else Effect.NEUTRAL


def _by_direction(site: Site, context: Context) -> Effect:
    """Targets and tolerances are better in the direction of the objective's indicator."""
    direction = context.direction_of(site.keys[0].key)
    if direction is None:
        return Effect.NEUTRAL
    return _judge(site, direction is Direction.HIGHER_IS_BETTER)


def _condition(more_rows: Effect | None) -> _EffectRule:
    """A condition: selecting more rows has the effect ``more_rows`` (None: unknown)."""
    fewer_rows = {Effect.LOOSENED: Effect.TIGHTENED, Effect.TIGHTENED: Effect.LOOSENED}

    def effect(site: Site, context: Context) -> Effect:
        old, new = site.old, site.new
        if not isinstance(old, Predicate) or not isinstance(new, Predicate):
            return Effect.UNKNOWN
        relation = compare_conditions(old, new)
        if relation is Relation.SAME:
            return Effect.NEUTRAL
        if more_rows is None or relation is Relation.UNKNOWN:
            return Effect.UNKNOWN
        return more_rows if relation is Relation.SUPERSET else fewer_rows[more_rows]

    return effect


#: More good events: easier to meet.
_good_condition = _condition(Effect.LOOSENED)
#: Which events count at all: the verdict may move either way.
_scope_condition = _condition(None)


@dataclass(frozen=True)
class Rule:
    """How one field of the language is categorised, judged and named."""

    category: Category | None = None
    effect: _EffectRule = _neutral
    #: How the value is called; ``{names[i]}``, ``{nouns[i]}`` and ``{keys[i]}`` stand for
    #: the i-th keyed item on its path ('Fast authorisations', objective 'Fast …', fast).
    label: str | None = None
    #: Say 'tightened' / 'loosened' rather than 'raised' / 'lowered'.
    strict: bool = False


_NOTICE: Final = Category.NOTICE
_TIER: Final = "credit tier {keys[1]} of {names[0]}"

#: Rules by path pattern (keys replaced by ``*``).
_RULES: Final[dict[str, Rule]] = {
    "metadata.id": Rule(label="agreement id"),
    "metadata.title": Rule(label="title of the agreement"),
    "metadata.version": Rule(label="version label"),
    "timezone": Rule(Category.CALENDAR, label="time zone of the agreement's windows"),
    "term.effective": Rule(label="effective date"),
    "term.duration": Rule(label="initial term"),
    "term.end": Rule(label="end of the initial term"),
    "term.renewal.mode": Rule(label="renewal mode"),
    "term.renewal.period": Rule(label="renewal period"),
    "term.renewal.notice": Rule(_NOTICE, label="renewal notice"),
    "term.termination_notice": Rule(_NOTICE, label="termination notice"),
    "indicators[*].threshold": Rule(effect=_lower_better),
    "indicators[*].good": Rule(
        effect=_good_condition, label="condition for a good event of {nouns[0]}"
    ),
    "indicators[*].resolved": Rule(
        effect=_good_condition, label="condition for a resolved ticket of {nouns[0]}"
    ),
    "indicators[*].valid": Rule(
        effect=_scope_condition, label="condition for a valid event of {nouns[0]}"
    ),
    "indicators[*].where": Rule(effect=_scope_condition, label="condition of {nouns[0]}"),
    "objectives[*].where": Rule(effect=_scope_condition, label="condition of {names[0]}"),
    "indicators[*].inclusive": Rule(
        effect=_lower_better, label="whether a value at the threshold is good for {nouns[0]}"
    ),
    "indicators[*].percentile": Rule(effect=_higher_better),
    "indicators[*].slice_target": Rule(effect=_higher_better),
    "indicators[*].satisfied_at_least": Rule(effect=_higher_better),
    "objectives[*]": Rule(effect=_added_tightens),
    "objectives[*].target": Rule(effect=_by_direction, label="target of {names[0]}", strict=True),
    "objectives[*].tolerance": Rule(
        Category.TOLERANCE, _by_direction, "tolerance of {names[0]}", strict=True
    ),
    "objectives[*].consistency": Rule(
        effect=_added_tightens, label="consistency requirement of {names[0]}"
    ),
    "objectives[*].consistency.max_spread": Rule(
        effect=_lower_better, label="largest spread across scopes allowed for {names[0]}"
    ),
    "exclusions[*]": Rule(effect=_added_loosens),
    "exclusions[*].notice": Rule(_NOTICE, _higher_better, "advance notice of {nouns[0]}"),
    "exclusions[*].monthly_cap": Rule(effect=_lower_better, label="monthly cap of {nouns[0]}"),
    "remedies": Rule(effect=_added_tightens),
    "remedies.claim_window": Rule(effect=_higher_better, label="credit claim window"),
    "remedies.payment": Rule(label="how credits are paid"),
    "remedies.sole_remedy": Rule(effect=_lower_better, label="credits as the sole remedy"),
    "remedies.credits[*]": Rule(effect=_added_tightens),
    "remedies.credits[*].basis": Rule(effect=_higher_better),
    "remedies.credits[*].cap": Rule(effect=_higher_better),
    "remedies.credits[*].objectives": Rule(
        effect=_membership, label="objectives covered by {nouns[0]}"
    ),
    "remedies.credits[*].tiers[*]": Rule(effect=_added_tightens, label=_TIER),
    "remedies.credits[*].tiers[*].credit": Rule(effect=_higher_better, label=_TIER),
    "remedies.credits[*].tiers[*].below": Rule(
        effect=_higher_better, label="threshold of " + _TIER
    ),
    "remedies.credits[*].tiers[*].above": Rule(effect=_lower_better, label="threshold of " + _TIER),
    "remedies.chronic[*]": Rule(effect=_added_tightens),
    "remedies.chronic[*].breaches": Rule(
        effect=_lower_better, label="breaches that trigger {nouns[0]}"
    ),
    "remedies.chronic[*].within_windows": Rule(
        effect=_higher_better, label="windows watched by {nouns[0]}"
    ),
    "remedies.chronic[*].objectives": Rule(
        effect=_membership, label="objectives watched by {nouns[0]}"
    ),
    "escalation[*].levels[*].within": Rule(effect=_lower_better),
    "incidents.severities[*].acknowledge": Rule(
        effect=_lower_better, label="time to acknowledge {names[0]} incidents"
    ),
    "incidents.severities[*].update_every": Rule(
        effect=_lower_better, label="update interval for {names[0]} incidents"
    ),
    "incidents.severities[*].resolve": Rule(
        effect=_lower_better, label="time to resolve {names[0]} incidents"
    ),
    "incidents.escalation": Rule(label="escalation ladder for incidents"),
    "incidents.on_call": Rule(label="on-call arrangement"),
    "incidents.review.contents": Rule(label="required contents of a post-incident review"),
    "incidents.review.deadline": Rule(effect=_lower_better, label="post-incident review deadline"),
    "incidents.review.required_for": Rule(
        effect=_membership, label="severities that need a post-incident review"
    ),
    "incidents.review.actions_tracked": Rule(
        effect=_higher_better, label="tracking of preventive actions"
    ),
    "incidents.security_breach_notification": Rule(
        effect=_lower_better, label="security-breach notification deadline"
    ),
    "governance.review_cadence": Rule(effect=_lower_better, label="governance review cadence"),
    "governance.reports[*]": Rule(effect=_added_tightens),
    "governance.reports[*].schedule": Rule(effect=_lower_better),
    "data_handling.locations": Rule(label="data locations"),
    "data_handling.location_change_notice": Rule(
        _NOTICE, _higher_better, "notice before data moves to a new location"
    ),
    "data_handling.certifications": Rule(effect=_membership, label="required certifications"),
    "change_management.notice": Rule(_NOTICE, _higher_better, "change notice"),
    "change_management.emergency_notice": Rule(_NOTICE, _higher_better, "emergency change notice"),
    "change_management.deprecation_notice": Rule(_NOTICE, _higher_better, "deprecation notice"),
    "disputes.raise_within": Rule(label="time to raise a dispute"),
    "disputes.escalation": Rule(label="escalation ladder for disputes"),
    "disputes.steps": Rule(label="order of the dispute steps"),
    "support.channels[*]": Rule(effect=_added_tightens),
    "support.languages": Rule(effect=_membership, label="support languages"),
    "support.accessibility": Rule(effect=_membership, label="accessibility commitments"),
    "commitments[*]": Rule(effect=_added_tightens),
    # Sections of duties the provider takes on.
    "incidents": Rule(effect=_added_tightens),
    "governance": Rule(effect=_added_tightens),
    "data_handling": Rule(effect=_added_tightens),
    "change_management": Rule(effect=_added_tightens),
    "support": Rule(effect=_added_tightens),
}

_GENERIC: Final = Rule()

#: The category of every other change, by the top-level section it is in.
_SECTIONS: Final = {
    "apiVersion": Category.METADATA,
    "kind": Category.METADATA,
    "metadata": Category.METADATA,
    "timezone": Category.CALENDAR,
    "parties": Category.PARTIES,
    "term": Category.TERM,
    "journey": Category.JOURNEY,
    "calendars": Category.CALENDAR,
    "peak_periods": Category.CALENDAR,
    "sources": Category.SOURCE,
    "indicators": Category.INDICATOR,
    "objectives": Category.OBJECTIVE,
    "exclusions": Category.EXCLUSION,
    "remedies": Category.REMEDY,
    "responsibilities": Category.RESPONSIBILITY,
    "escalation": Category.ESCALATION,
    "incidents": Category.INCIDENT,
    "governance": Category.GOVERNANCE,
    "data_handling": Category.DATA_HANDLING,
    "change_management": Category.CHANGE_MANAGEMENT,
    "disputes": Category.DISPUTE,
    "support": Category.SUPPORT,
    "commitments": Category.COMMITMENT,
}


def rule_for(site: Site) -> Rule:
    """The rule for a site's field; fields without one get the generic rule."""
    return _RULES.get(site.pattern, _GENERIC)


def category_of(site: Site, rule: Rule) -> Category:
    if rule.category is not None:
        return rule.category
    if site.pattern.startswith("remedies.credits"):
        return Category.CREDIT
    return _SECTIONS.get(field_of(site.parts[:1]), Category.OTHER)
