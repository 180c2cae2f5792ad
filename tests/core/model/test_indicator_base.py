"""What every indicator has: the defaults a kind inherits unless it says otherwise (a share
of good events, higher is better, its formula read as its words) and the columns its own
condition reads."""

from __future__ import annotations

from accord.core.model.indicator_base import Direction, IndicatorBase, ValueKind
from tests.core.model.refused import refusal


class Share(IndicatorBase):
    """A kind that overrides nothing but its formula."""

    def formula(self) -> str:
        return "good events / events"


def share(**changes: object) -> Share:
    return Share.model_validate({"id": "uptime", "name": "Uptime", "source": "probes", **changes})


def test_a_kind_that_says_nothing_else_is_a_share_of_good_events_where_higher_is_better() -> None:
    indicator = share()

    assert (indicator.value_kind, indicator.direction()) == (
        ValueKind.RATIO,
        Direction.HIGHER_IS_BETTER,
    )
    assert Share.counts == "events"
    assert indicator.in_words() == "good events / events"


def test_the_rows_that_count_at_all_add_their_columns_to_those_read() -> None:
    assert share().columns_used() == set()
    assert share(where="region = 'eu' and probe_kind <> 'synthetic'").columns_used() == {
        "region",
        "probe_kind",
    }


def test_an_indicator_is_named_reads_a_source_by_identifier_and_a_parsable_condition() -> None:
    assert refusal(Share, {"id": "uptime", "name": "", "source": "probes"})[0] == ("name",)
    assert refusal(Share, {"id": "Uptime", "name": "Uptime", "source": "probes"})[0] == ("id",)
    assert refusal(Share, {"id": "uptime", "name": "Uptime", "source": "Probes"})[0] == ("source",)
    assert refusal(Share, {"id": "u", "name": "U", "source": "p", "where": "region ="})[0] == (
        "where",
    )
