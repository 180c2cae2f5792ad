"""Survey score: the mean score (CSAT), the share of satisfied responses, or the Net
Promoter Score (% of 9–10 minus % of 0–6 on a 0–10 scale, as Bain & Company define it)."""

from __future__ import annotations

from sqlglot import exp

from accord.core.model.measurement import SurveyScoreIndicator
from accord.engine.kinds.base import Burn, Count, Plan, Reading, Setting, Statistic, Values
from accord.engine.kinds.readings import share, statistic
from accord.engine.sql import call, column, known, number

__all__ = ["KIND", "SurveyScore"]


class SurveyScore:
    def plan(self, indicator: SurveyScoreIndicator, setting: Setting) -> Plan:
        del setting
        score = column(indicator.score)
        responses = Count(known(score))
        if indicator.method == "mean":
            return Plan(
                aggregates={"valid": responses, "value": Statistic(call("avg", score))},
                read=statistic("mean of"),
            )
        if indicator.method == "share_satisfied":
            assert indicator.satisfied_at_least is not None
            least = number(indicator.satisfied_at_least)
            counts = Burn(good=Count(exp.GTE(this=score, expression=least)), valid=responses)
            return Plan(
                aggregates={"valid": counts.valid, "good": counts.good},
                read=share,
                burn=counts,
            )
        return Plan(
            aggregates={
                "valid": responses,
                "promoters": Count(exp.GTE(this=score.copy(), expression=number(9))),
                "detractors": Count(exp.LTE(this=score.copy(), expression=number(6))),
            },
            read=_net_promoter_score,
        )


def _net_promoter_score(values: Values) -> Reading:
    valid = values.count("valid")
    promoters, detractors = values.count("promoters"), values.count("detractors")
    counts = {"valid": valid, "promoters": promoters, "detractors": detractors}
    if valid == 0:
        return Reading(None, counts, "no responses")
    value = (values.number("promoters") - values.number("detractors")) * 100 / valid
    computation = (
        f"100 × ({promoters:,} promoters − {detractors:,} detractors) / {valid:,} responses"
    )
    return Reading(value, counts, computation)


KIND = SurveyScore()
