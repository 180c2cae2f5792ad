"""The notice obligations of a security incident under each regime its agreement names, with
the due instants the law gives (DOMAIN.md: GDPR 72h; NIS2 24h, 72h, one month; DORA 4h after
classification and at most 24h after awareness, 72h, one month)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accord.core.loader import load_agreement
from accord.core.model import Agreement
from accord.core.obligations import NoticeInstants, notice_obligations, regimes_of

EXAMPLE = Path(__file__).parents[3] / "examples" / "payments-api.yaml"
AWARE = dt.datetime(2026, 1, 30, 22, 0, tzinfo=dt.UTC)
H = dt.timedelta(hours=1)


@pytest.fixture(scope="module")
def payments() -> Agreement:
    loaded = load_agreement(EXAMPLE.read_text(), str(EXAMPLE))
    assert loaded.agreement is not None
    return loaded.agreement


def _due(agreement: Agreement, instants: NoticeInstants) -> dict[str, dt.datetime]:
    return {
        o.key.removeprefix("incident:7:breach_notice:"): o.due_at
        for o in notice_obligations(7, agreement, instants)
    }


def test_each_regime_s_notices_are_due_at_the_law_s_instants(payments: Agreement) -> None:
    due = _due(payments, NoticeInstants(aware_at=AWARE))
    assert due == {
        "contract:notice": AWARE + 24 * H,
        "gdpr-art-33:notification": AWARE + 72 * H,
        "nis2-art-23:early-warning": AWARE + 24 * H,
        "nis2-art-23:notification": AWARE + 72 * H,
        # One month after the notification (while unsent: after its due instant, 2 February);
        # months step calendar dates.
        "nis2-art-23:final-report": dt.datetime(2026, 3, 2, 22, 0, tzinfo=dt.UTC),
    }, "DORA owes nothing before the incident is classified as major"


def test_dora_runs_from_classification_but_no_later_than_a_day_after_awareness(
    payments: Agreement,
) -> None:
    early = _due(payments, NoticeInstants(aware_at=AWARE, classified_at=AWARE + 2 * H))
    assert early["dora-art-19:initial"] == AWARE + 6 * H
    assert early["dora-art-19:intermediate"] == AWARE + 6 * H + 72 * H
    assert early["dora-art-19:final"] == dt.datetime(2026, 3, 3, 4, 0, tzinfo=dt.UTC)
    late = _due(payments, NoticeInstants(aware_at=AWARE, classified_at=AWARE + 22 * H))
    assert late["dora-art-19:initial"] == AWARE + 24 * H


def test_a_later_notice_runs_from_when_the_earlier_one_was_sent(payments: Agreement) -> None:
    sent = {"dora-art-19/initial": AWARE + 3 * H, "dora-art-19/intermediate": AWARE + 50 * H}
    due = _due(payments, NoticeInstants(aware_at=AWARE, classified_at=AWARE + 2 * H, sent=sent))
    assert due["dora-art-19:intermediate"] == AWARE + 3 * H + 72 * H
    assert due["dora-art-19:final"] == dt.datetime(2026, 3, 2, 0, 0, tzinfo=dt.UTC)


def test_owners_and_the_contract_s_own_offset(payments: Agreement) -> None:
    found = {o.key.split(":")[3]: o for o in notice_obligations(7, payments, NoticeInstants(AWARE))}
    assert found["contract"].party == "payco"  # the provider tells the consumer
    assert found["gdpr-art-33"].party == "acme"  # the controller tells the authority
    assert "Acme Retail GmbH" in found["contract"].subject
    assert [r.id for r in regimes_of(payments)] == [
        "contract",
        "gdpr-art-33",
        "nis2-art-23",
        "dora-art-19",
    ]
