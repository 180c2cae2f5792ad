"""accord.cli.demo_store: the demo's store loaded as an operator would: the company, the
provider's organisation, a user per role whose printed password signs in, the agreement
uploaded with its parties linked and evaluated, an incident run to its end with its review,
and the governance story (an amendment approved, a verdict disputed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from accord.cli.demo_store import DemoStore, clear, load_store, months_ending
from accord.demo.base import SampleOptions
from accord.demo.generate import write_sample_data
from accord.services.agreements import AgreementFiles
from accord.services.organisations import OrganisationKind
from accord.services.permissions import Principal, Role
from accord.services.verdicts import VerdictQuery

CLOUD = Path(__file__).parents[2] / "examples" / "cloud-hosting.yaml"
CONSOLE = Principal.console()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStore]:
    """cloud-hosting (it declares incidents, amendments and disputes) with October's sample
    data, evaluated for October."""
    folder = tmp_path_factory.mktemp("demo") / "store"
    agreement = AgreementFiles().load_valid(CLOUD).agreement
    assert agreement is not None
    write_sample_data(agreement, folder / "files", SampleOptions(months=1, volume=0.1))
    loaded = load_store(folder, [(CLOUD.read_text(encoding="utf-8"), agreement)], ["2026-10"])
    yield loaded
    loaded.services.close()


def _signed_in(store: DemoStore, email: str) -> Principal:
    user = next(u for u in store.users if u.email == email)
    credentials = store.services.credentials
    return credentials.authenticate_session(credentials.login(user.email, user.password).secret)


def test_a_user_per_role_and_one_per_provider_sign_in_with_their_printed_passwords(
    store: DemoStore,
) -> None:
    assert [(u.email, u.role, u.organisation) for u in store.users] == [
        ("admin@acme.example", Role.ADMIN, "acme"),
        ("manager@acme.example", Role.AGREEMENT_MANAGER, "acme"),
        ("auditor@acme.example", Role.AUDITOR, "acme"),
        ("viewer@acme.example", Role.VIEWER, "acme"),
        ("partner@stratus.example", Role.PARTNER, "stratus"),
    ]
    assert len({u.password for u in store.users}) == len(store.users)
    for user in store.users:
        principal = _signed_in(store, user.email)
        assert store.services.organisations.me(principal).roles == [user.role], user.email


def test_the_provider_is_a_partner_organisation_linked_to_the_agreement(
    store: DemoStore,
) -> None:
    organisations = {
        o.slug: (o.name, o.kind) for o in store.services.organisations.organisations(CONSOLE)
    }
    assert organisations == {
        "acme": ("Acme Group", OrganisationKind.COMPANY),
        "stratus": ("Stratus Cloud SE", OrganisationKind.PARTNER),
    }
    partner = _signed_in(store, "partner@stratus.example")
    (seen,) = store.services.portfolio.agreements(partner)
    assert seen.id == "cloud-hosting"


def test_the_agreement_is_judged_for_each_period_asked(store: DemoStore) -> None:
    page = store.services.verdicts.verdicts(CONSOLE, "cloud-hosting", VerdictQuery(limit=500))
    windows = {item.window for item in page.items}
    assert "2026-10" in windows
    assert not any(window.startswith("2026-09") for window in windows)


def test_an_incident_is_run_to_its_end_with_its_review_filed(store: DemoStore) -> None:
    [incident] = store.services.incidents.list(CONSOLE, agreement="cloud-hosting")
    assert incident.state == "resolved"
    detail = store.services.incident_reviews.get(CONSOLE, incident.id)
    assert detail.review is not None
    assert detail.review.state == "filed"
    assert detail.review.customer_impact["customers affected"] == 420
    assert sorted(action.state for action in detail.actions) == ["done", "open"]
    canary, alert = sorted(action.due_on for action in detail.actions)
    # Due 14 and 30 days after the day the store was loaded (today, or yesterday by now).
    assert alert - canary == dt.timedelta(days=16)
    loaded_on = canary - dt.timedelta(days=14)
    assert dt.timedelta(0) <= dt.datetime.now(dt.UTC).date() - loaded_on <= dt.timedelta(days=1)


def test_the_provider_s_amendment_is_approved_and_a_verdict_disputed(store: DemoStore) -> None:
    assert len(store.governance) == 3
    proposed, approved, disputed = store.governance
    assert proposed.startswith("amendment 1 proposed by stratus")
    assert approved.startswith("amendment 1 approved: version 2 takes effect")
    assert disputed.startswith("dispute 1 of the ")
    (amendment,) = store.services.amendments.list(CONSOLE, "cloud-hosting")
    assert amendment.state == "approved"
    text = store.services.portfolio.version(CONSOLE, "cloud-hosting", 2).text
    assert "emergency_notice: 2h" in text
    (dispute,) = store.services.disputes.list(CONSOLE, "cloud-hosting")
    assert [event.kind for event in dispute.events] == ["raised", "responded"]


def test_months_ending_a_period_run_oldest_first_across_the_year() -> None:
    assert months_ending("2026-10") == [
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
    ]
    assert months_ending("2027-02", 3) == ["2026-12", "2027-01", "2027-02"]


@pytest.mark.parametrize(
    "period", ["2026-Q4", "2026", "2026-1", "26-10", "2026-13", "2026-00", "２０２６-10"]
)
def test_any_other_period_is_evaluated_alone(period: str) -> None:
    assert months_ending(period) == [period]


def test_clearing_removes_an_earlier_store_and_tolerates_none(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    (folder / "files").mkdir(parents=True)
    (folder / "files" / "old.csv").write_text("a\n")
    clear(folder)
    assert not folder.exists()
    clear(folder)
    assert tmp_path.exists()
