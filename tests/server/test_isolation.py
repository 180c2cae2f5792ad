"""Tenant isolation, walked through the API: every agreement endpoint × every role of every
organisation × both agreements, and the organisation-wide endpoints × every user. An
agreement a caller's organisation is not party to answers 404 on every endpoint, exactly as
one that does not exist; what a role may not do answers 403."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from typing import Any

import pytest

from accord.reports.period import render_files
from accord.services.amendments import AmendmentAct, ProposeAmendment
from accord.services.disputes import RaiseDispute, Submission
from accord.services.permissions import Permission, Role, permissions_of
from accord.services.portfolio import UploadVersion
from accord.services.reports import ReportQuery
from accord.services.retention import PlaceHold
from accord.services.verdicts import RunEvaluation, VerdictQuery
from tests.server.conftest import Api
from tests.services.world import CONSOLE, USERS, agreement_document, agreement_text, events

AGREEMENTS = ("acme-bravo", "acme-charlie")
#: The first user (in ``USERS`` order) who manages agreements.
FIRST_MANAGER = "admin@acme.example"


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    #: read | push_supplier | push_company | evaluate | preview | request_restatement | upload
    #: | govern | manage | manage_once | govern_closed (acts on a withdrawn amendment: 409)
    #: | propose (the first user allowed opens an amendment; the next find it open: 409)
    #: | raise_invalid (a dispute of nothing: 422 once the door lets the caller in)
    action: str
    body: Any = None


ENDPOINTS = (
    Endpoint("GET", "", "read"),
    Endpoint("GET", "/versions", "read"),
    Endpoint("GET", "/versions/1", "read"),
    Endpoint("GET", "/diff?from=1&to=1", "read"),
    Endpoint("GET", "/document?format=markdown", "read"),
    Endpoint("GET", "/verdicts", "read"),
    Endpoint("GET", "/verdicts/{verdict}", "read"),
    Endpoint("GET", "/verdicts/{verdict}/items?limit=5", "read"),
    Endpoint("GET", "/verdicts/{verdict}/items?format=csv", "read"),
    Endpoint("GET", "/budgets", "read"),
    Endpoint("GET", "/credits", "read"),
    Endpoint("GET", "/evaluations", "read"),
    Endpoint("GET", "/compliance/findings", "read"),
    Endpoint("GET", "/compliance/register?format=csv", "read"),
    Endpoint("GET", "/term", "read"),
    Endpoint("POST", "/renewal-decisions", "govern", {"decision": "renew"}),
    Endpoint("GET", "/legal-holds", "read"),
    Endpoint("GET", "/reviews/2026-Q4/pack", "read"),
    Endpoint("GET", "/reviews/2026-Q4", "read"),
    Endpoint("POST", "/reviews/2026-Q4/decisions", "govern", {"text": "Meet monthly"}),
    Endpoint("GET", "/reviews", "read"),
    Endpoint("POST", "/reviews/2026-Q4/minutes", "govern", {"text": "Went through the pack"}),
    Endpoint("POST", "/legal-holds", "manage", {"reason": "litigation"}),
    Endpoint("POST", "/legal-holds/{hold}/release", "manage_once"),
    Endpoint("GET", "/in-force?at=2026-10-15T00:00:00Z", "read"),
    Endpoint("GET", "/periods", "read"),
    Endpoint("GET", "/late-data", "read"),
    Endpoint("GET", "/restatements", "read"),
    Endpoint("GET", "/ledger", "read"),
    Endpoint("GET", "/adjustments", "read"),
    Endpoint("GET", "/findings", "read"),
    Endpoint("GET", "/findings?kind=chronic", "read"),
    Endpoint(
        "POST",
        "/adjustments",
        "adjust",
        {
            "scheme": "availability-credits",
            "window": "2026-10",
            "amount": "-1.00",
            "currency": "EUR",
            "reason": "goodwill",
        },
    ),
    Endpoint("GET", "/ledger?format=csv", "read"),
    Endpoint("GET", "/sources/requests/batches", "read"),
    Endpoint("GET", "/obligations", "read"),
    Endpoint("GET", "/obligations?state=open&due_within=400d", "read"),
    Endpoint("GET", "/notifications", "read"),
    Endpoint("PUT", "/sources/requests/batches/{batch}", "push_supplier", "events"),
    Endpoint("PUT", "/sources/surveys/batches/{batch}", "push_company", "surveys"),
    Endpoint("POST", "/evaluations", "evaluate", {"period": "2026-10"}),
    Endpoint("POST", "/previews", "preview", {"period": "2026-10", "version": 1}),
    Endpoint(
        "POST",
        "/restatements",
        "request_restatement",
        {"period": "2026-10", "reason_code": "late_data", "reason": "not closed yet: 422"},
    ),
    Endpoint("GET", "/amendments", "read"),
    Endpoint("GET", "/amendments/{amendment}", "read"),
    Endpoint("POST", "/amendments/{amendment}/approval", "govern_closed", {}),
    Endpoint("POST", "/amendments/{amendment}/rejection", "govern_closed", {"note": "no"}),
    Endpoint("POST", "/amendments/{amendment}/waiver", "govern_closed", {}),
    Endpoint("POST", "/amendments/{amendment}/withdrawal", "govern_closed", {}),
    Endpoint("POST", "/amendments", "propose", "amendment"),
    Endpoint("GET", "/disputes", "read"),
    Endpoint("GET", "/disputes/{dispute}", "read"),
    Endpoint("GET", "/disputes/{dispute}/comparison", "read"),
    Endpoint("POST", "/disputes/{dispute}/responses", "govern", {"text": "see the logs"}),
    Endpoint("POST", "/disputes/{dispute}/evidence", "govern", "multipart"),
    Endpoint("POST", "/disputes/{dispute}/escalation", "govern_closed", {"reason": "stuck"}),
    Endpoint(
        "POST",
        "/disputes/{decided}/decision",
        "manage_once",
        {"outcome": "rejected", "reason": "no"},
    ),
    Endpoint("POST", "/disputes", "raise_invalid", {"text": "neither verdict nor credit"}),
    Endpoint("POST", "/versions", "upload", "text"),
)


def _organisation(email: str) -> str:
    return email.split("@")[1].split(".", maxsplit=1)[0]


def expected(email: str, slug: str, action: str) -> int:
    organisation, role = USERS[email]
    partner = slug.removeprefix("acme-")
    if organisation not in ("acme", partner):
        return 404
    may = permissions_of({Role(role)}, company=organisation == "acme")
    allowed = {
        "read": Permission.READ in may,
        "push_supplier": Permission.PUSH in may and organisation == partner,
        "push_company": Permission.PUSH in may and organisation == "acme",
        "evaluate": Permission.EVALUATE in may,
        "preview": Permission.PREVIEW in may,
        "request_restatement": Permission.REQUEST_RESTATEMENT in may,
        "adjust": Permission.ADJUST_CREDITS in may,
        "upload": Permission.MANAGE_AGREEMENTS in may,
        "govern": Permission.GOVERN in may,
        "manage": Permission.MANAGE_AGREEMENTS in may,
        "manage_once": Permission.MANAGE_AGREEMENTS in may,
        "govern_closed": Permission.GOVERN in may,
        "propose": Permission.GOVERN in may,
        "raise_invalid": Permission.GOVERN in may,
    }[action]
    if not allowed:
        return 403
    if action == "manage_once":  # releasing a hold: done by the first user allowed
        return 200 if email == FIRST_MANAGER else 409
    if action == "propose":
        return 201 if email == FIRST_MANAGER else 409
    if action == "govern_closed":
        return 409
    return {
        "read": 200,
        "upload": 200,
        "preview": 200,
        "request_restatement": 422,
        "raise_invalid": 422,
    }.get(action, 201)


def _body(endpoint: Endpoint, slug: str) -> Any:
    if endpoint.body == "events":
        return {"events": events(3)}
    if endpoint.body == "surveys":
        return {"events": [{"ts": "2026-10-05T10:00:00Z"}]}
    if endpoint.body == "text":
        return {"text": _with_disputes(slug)}
    if endpoint.body == "amendment":
        text = agreement_text(slug.removeprefix("acme-"), target="98%", version="2")
        return {"summary": "A 98% target", "text": text}
    return endpoint.body


def _content(endpoint: Endpoint, slug: str) -> dict[str, Any]:
    """The request's body: JSON, or a multipart form with a file (evidence uploads)."""
    if endpoint.body == "multipart":
        return {"data": {"text": "our probes"}, "files": [("files", ("probes.csv", b"ts\n"))]}
    return {"json": _body(endpoint, slug)}


def _verdict_ids(api: Api) -> dict[str, int]:
    found = {}
    for slug in AGREEMENTS:
        api.world.services.verdicts.evaluate(
            CONSOLE, RunEvaluation(agreement=slug, period="2026-10")
        )
        page = api.world.services.verdicts.verdicts(CONSOLE, slug, VerdictQuery())
        found[slug] = page.items[0].id
    return found


def _hold_ids(api: Api) -> dict[str, int]:
    retention = api.world.services.retention
    return {
        slug: retention.place_hold(CONSOLE, PlaceHold(agreement=slug, reason="audit")).id
        for slug in AGREEMENTS
    }


def _with_disputes(slug: str) -> str:
    """The agreement with a one-step dispute ladder (version 2 in the matrix)."""
    document = agreement_document(slug.removeprefix("acme-"))
    document["disputes"] = {
        "raise_within": "30 days",
        "steps": [{"name": "Review", "within": "5 business days", "decided_by": "Managers"}],
    }
    return json.dumps(document)


def _dispute_ids(api: Api, verdicts: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Two disputes of each agreement's verdict, raised by the company: one to answer and
    escalate, one to decide."""
    services = api.world.services
    found = {}
    for slug in AGREEMENTS:
        services.portfolio.upload(CONSOLE, UploadVersion(text=_with_disputes(slug)))
        command = RaiseDispute(
            agreement=slug, submission=Submission(text="wrong"), verdict=verdicts[slug]
        )
        first = services.disputes.raise_(CONSOLE, command)
        second = services.disputes.raise_(CONSOLE, command)
        found[slug] = (first.id, second.id)
    return found


def _withdrawn_amendment_ids(api: Api) -> dict[str, int]:
    """An amendment of each agreement, proposed and withdrawn by the company (the console)."""
    amendments = api.world.services.amendments
    found = {}
    for slug in AGREEMENTS:
        text = agreement_text(slug.removeprefix("acme-"), target="95%", version="2")
        proposed = amendments.propose(
            CONSOLE, ProposeAmendment(agreement=slug, summary="95%", text=text)
        )
        amendments.withdraw(CONSOLE, AmendmentAct(agreement=slug, amendment=proposed.id))
        found[slug] = proposed.id
    return found


def test_every_agreement_endpoint_answers_each_role_of_each_tenant_exactly(api: Api) -> None:
    verdicts = _verdict_ids(api)
    holds = _hold_ids(api)
    disputes = _dispute_ids(api, verdicts)
    amendment_ids = _withdrawn_amendment_ids(api)
    batches = itertools.count()
    wrong = []
    for email, slug, endpoint in itertools.product(USERS, AGREEMENTS, ENDPOINTS):
        path = f"/api/v1/agreements/{slug}" + endpoint.path.format(
            verdict=verdicts[slug],
            batch=f"b{next(batches)}",
            hold=holds[slug],
            amendment=amendment_ids[slug],
            dispute=disputes[slug][0],
            decided=disputes[slug][1],
        )
        response = api.client.request(
            endpoint.method, path, headers=api.headers(email), **_content(endpoint, slug)
        )
        want = expected(email, slug, endpoint.action)
        if response.status_code != want:
            wrong.append(f"{email} {endpoint.method} {path}: {response.status_code}, want {want}")
        if want == 404:
            assert response.json()["detail"] == f"no agreement {slug!r}", path
    assert wrong == []


def test_an_agreement_of_another_tenant_is_indistinguishable_from_none(api: Api) -> None:
    partner = api.headers("partner@bravo.example")
    other = api.client.get("/api/v1/agreements/acme-charlie/verdicts", headers=partner)
    missing = api.client.get("/api/v1/agreements/no-such-thing/verdicts", headers=partner)
    assert other.status_code == missing.status_code == 404
    assert other.json()["detail"].replace("acme-charlie", "X") == missing.json()["detail"].replace(
        "no-such-thing", "X"
    )


@pytest.mark.parametrize("email", list(USERS))
def test_each_user_lists_exactly_its_tenant_s_agreements(api: Api, email: str) -> None:
    organisation = _organisation(email)
    want = list(AGREEMENTS) if organisation == "acme" else [f"acme-{organisation}"]
    listed = api.get("/api/v1/agreements", email).json()
    assert [agreement["id"] for agreement in listed] == want


def _organisation_wide(email: str) -> dict[tuple[str, str], int]:
    organisation, role = USERS[email]
    company = organisation == "acme"
    may = permissions_of({Role(role)}, company=company)
    admin = Permission.ADMINISTER in may
    audit = Permission.AUDIT in may and company
    return {
        ("GET", "/api/v1/me"): 200,
        ("GET", "/api/v1/organisations"): 200,
        ("GET", "/api/v1/organisations/charlie"): 200
        if organisation in ("acme", "charlie")
        else 404,
        ("GET", "/api/v1/users"): 200 if admin else 403,
        ("GET", "/api/v1/tokens"): 200,
        ("GET", "/api/v1/escalations/late"): 200,
        ("GET", "/api/v1/audit"): 200 if audit else 403,
        ("GET", "/api/v1/audit/verification"): 200 if audit else 403,
        ("GET", "/api/v1/audit/signing-key"): 200,
        ("POST", "/api/v1/organisations"): 201 if admin and company else 403,
        ("POST", "/api/v1/retention/purge"): 200 if Permission.MANAGE_AGREEMENTS in may else 403,
        ("GET", "/api/v1/disputes"): 200,
    }


def test_every_organisation_wide_endpoint_answers_each_user_exactly(api: Api) -> None:
    wrong = []
    for email in USERS:
        for (method, path), want in _organisation_wide(email).items():
            body = {"slug": f"new-{email.split('@')[0]}-{_organisation(email)}", "name": "New"}
            response = api.client.request(
                method, path, headers=api.headers(email), json=body if method == "POST" else None
            )
            if response.status_code != want:
                wrong.append(f"{email} {method} {path}: {response.status_code}, want {want}")
    assert wrong == []


def test_a_partner_admin_sees_only_its_own_organisation_s_users(api: Api) -> None:
    users = api.get("/api/v1/users", "admin@bravo.example").json()
    assert {user["organisation"] for user in users} == {"bravo"}
    assert len(api.get("/api/v1/users", "admin@acme.example").json()) == len(USERS)


#: Routes outside the two matrices above, each with the test that holds its isolation: they
#: act on the caller's own things, or on users an admin administers (scoped by tenant).
OWN_OR_ADMINISTERED: dict[tuple[str, str], str] = {
    ("POST", "/api/v1/sessions"): "api/test_sessions: sign-in and throttling",
    ("DELETE", "/api/v1/sessions/current"): "api/test_sessions: sign-out",
    ("GET", "/api/v1/sessions"): "test_credentials: a user lists and ends its own sessions",
    ("DELETE", "/api/v1/sessions/{session_id}"): "test_credentials: own sessions only",
    ("POST", "/api/v1/tokens"): "api/test_tokens: only the partner's own admin mints its tokens",
    ("DELETE", "/api/v1/tokens/{token_id}"): "test_credentials: own tokens, or an admin's",
    ("POST", "/api/v1/users"): "services/test_organisations: own users only",
    ("POST", "/api/v1/users/{email}/roles"): "services/test_organisations: roles that fit",
    ("DELETE", "/api/v1/users/{email}/roles/{role}"): "test_credentials: a role is removed",
    ("POST", "/api/v1/users/{email}/disable"): "api/test_users: another tenant's user is a 404",
    ("POST", "/api/v1/users/{email}/enable"): "api/test_users: an admin disables and enables",
    ("PUT", "/api/v1/users/{email}/password"): "test_credentials: a reset ends sessions",
    ("GET", "/api/v1/me/notification-preferences"): "test_notifications: a user's own",
    ("PUT", "/api/v1/me/notification-preferences"): "test_notifications: a user's own",
    ("PUT", "/api/v1/me/password"): "test_credentials: a change needs the current one",
    ("GET", "/api/v1/agreements"): "each user lists exactly its tenant's agreements (above)",
    ("POST", "/api/v1/agreements"): "the upload row of the agreement matrix (above)",
    ("GET", "/api/v1/compliance/register"): "api/test_compliance: the whole register",
    ("GET", "/api/v1/organisations/{slug}/certifications"): "api/test_compliance",
    ("POST", "/api/v1/organisations/{slug}/certifications"): "api/test_compliance",
    ("GET", "/api/v1/organisations/{slug}/data-handling"): "api/test_compliance",
    ("POST", "/api/v1/organisations/{slug}/data-handling"): "api/test_compliance",
    ("GET", "/api/v1/obligations"): "each user lists only its tenant's obligations (below)",
    ("GET", "/api/v1/obligations/{obligation_id}"): "an obligation by id (below)",
    ("POST", "/api/v1/obligations/{obligation_id}/waiver"): "an obligation by id (below)",
    ("POST", "/api/v1/obligations/{obligation_id}/met"): "an obligation by id: the same door "
    "as the waiver (services/obligations.py _close), tested in test_obligations",
    ("GET", "/api/v1/ledger"): "test_ledger: a partner sees only its own credits (the "
    "agreements its tenant sees, as the agreement ledger above)",
    ("POST", "/api/v1/agreements/{slug}/ledger/{step}"): "test_ledger: who claims, accepts, "
    "disputes and settles (get_agreement first: another tenant's agreement is a 404)",
    ("POST", "/api/v1/agreements/{slug}/adjustments/{adjustment_id}/approve"): "test_adjustments"
    ": four eyes, and only a company role with credits:adjust approves (get_agreement first)",
    ("POST", "/api/v1/agreements/{slug}/adjustments/{adjustment_id}/reject"): "test_adjustments"
    ": a rejection needs a note (the same door as approval)",
    ("POST", "/api/v1/agreements/{slug}/restatements/{restatement_id}/approve"): "test_books: "
    "four eyes, and only a company role with books:restate approves",
    ("POST", "/api/v1/agreements/{slug}/restatements/{restatement_id}/reject"): "test_books: "
    "a rejection needs a note (the same door as approval)",
    ("GET", "/api/v1/notifications"): "each user lists only its tenant's obligations (below)",
    ("POST", "/api/v1/agreements/{slug}/incidents"): "test_incidents: another partner's 404",
    ("GET", "/api/v1/agreements/{slug}/incidents"): "test_incidents: partners see their own",
    ("POST", "/api/v1/agreements/{slug}/incident-sources"): "test_incidents: a manager's",
    ("GET", "/api/v1/incidents"): "test_incidents: partners see only their own",
    ("GET", "/api/v1/incidents/{incident_id}"): "test_incidents: another partner's is a 404",
    ("POST", "/api/v1/incidents/{incident_id}/acknowledgement"): "test_incidents: 404 alike",
    ("POST", "/api/v1/incidents/{incident_id}/updates"): "test_incidents (one door: _Writing)",
    ("POST", "/api/v1/incidents/{incident_id}/mitigation"): "test_incidents (one door)",
    ("POST", "/api/v1/incidents/{incident_id}/resolution"): "test_incidents (one door)",
    ("POST", "/api/v1/incidents/{incident_id}/closure"): "test_incidents (one door)",
    ("POST", "/api/v1/incidents/{incident_id}/severity"): "test_incidents (one door)",
    ("POST", "/api/v1/inbound/alertmanager"): "test_incidents: the source's secret, no token",
    ("POST", "/api/v1/inbound/incidents"): "test_incidents: the source's secret, no token",
    ("GET", "/api/v1/incidents/{incident_id}/review"): "test_incident_reviews: another "
    "partner's is a 404, a viewer reads",
    ("PUT", "/api/v1/incidents/{incident_id}/review"): "test_incident_reviews: 404 for "
    "another partner, 403 for a viewer (one door: incident_writing)",
    ("POST", "/api/v1/incidents/{incident_id}/review/filing"): "test_incident_reviews (same)",
    ("POST", "/api/v1/incidents/{incident_id}/review/comments"): "test_incident_reviews (same)",
    ("POST", "/api/v1/incidents/{incident_id}/actions"): "test_incident_reviews (same)",
    ("GET", "/api/v1/actions"): "test_incident_reviews: another partner lists none",
    ("GET", "/api/v1/actions/{action_id}"): "test_incident_reviews: another partner's is a 404",
    ("POST", "/api/v1/actions/{action_id}/completion"): "test_incident_reviews: 404 / 403",
    ("POST", "/api/v1/actions/{action_id}/cancellation"): "test_incident_reviews: 404 / 403",
    ("GET", "/api/v1/incident-duties/rates"): "test_incident_reviews: another partner's "
    "rates are empty (the obligations' tenancy filter)",
    ("POST", "/api/v1/incidents/{incident_id}/classification"): "test_breach_notices: 404 "
    "for another partner, 403 for a viewer (one door: incident_writing)",
    ("POST", "/api/v1/incidents/{incident_id}/notices"): "test_breach_notices (same)",
    ("GET", "/api/v1/incidents/{incident_id}/notices"): "test_breach_notices: another "
    "partner's is a 404, a viewer reads",
    ("GET", "/api/v1/notifications/{notification_id}"): "test_notifications: a partner sees "
    "only its agreements' notifications (the same tenancy filter as the list)",
    ("POST", "/api/v1/agreements/{slug}/reviews/{period}/ratings"): (
        "test_reviews: the same door as decisions (matrix above); needs a commitment to rate"
    ),
    ("GET", "/api/v1/reports"): "each user lists and fetches only its own reports (below)",
    ("GET", "/api/v1/reports/{scope}/{period}/{name}"): "each user lists and fetches only its "
    "own reports (below)",
}


def _api_routes(api: Api) -> set[tuple[str, str]]:
    """Every operation of the API as the service describes it (method, path template)."""
    paths = api.get("/openapi.json", None).json()["paths"]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1/")
        for method in operations
    }


def _templates_reached(
    templates: set[tuple[str, str]], requests: set[tuple[str, str]]
) -> set[tuple[str, str]]:
    """The route templates that concrete requests (method, path) reach."""
    reached = set()
    for endpoint_method, path in requests:
        for method, template in templates:
            pattern = re.sub(r"\{[^}]+\}", "[^/]+", template)
            if method == endpoint_method and re.fullmatch(pattern, path.split("?")[0]):
                reached.add((method, template))
    return reached


def test_every_api_route_is_in_the_isolation_matrix_or_says_where_it_is_held(api: Api) -> None:
    """A new route fails here until it joins a matrix or names the test that holds it."""
    routes = _api_routes(api)
    agreement_wide = {
        (
            e.method,
            "/api/v1/agreements/acme-bravo"
            + e.path.format(verdict=1, batch="b", hold=1, amendment=1, dispute=1, decided=1),
        )
        for e in ENDPOINTS
    }
    requested = agreement_wide | set(_organisation_wide("admin@acme.example"))
    covered = _templates_reached(routes, requested) | set(OWN_OR_ADMINISTERED)
    assert len(routes) > 40
    missing = sorted(routes - covered)
    assert missing == [], "\n".join(f"{m} {p}" for m, p in missing)


def test_an_obligation_by_id_answers_only_its_agreement_s_tenants(api: Api) -> None:
    ids = {
        slug: api.get(f"/api/v1/agreements/{slug}/obligations", "admin@acme.example").json()[0][
            "id"
        ]
        for slug in AGREEMENTS
    }
    wrong = []
    for email, slug in itertools.product(USERS, AGREEMENTS):
        for method, path, action in (
            ("GET", f"/api/v1/obligations/{ids[slug]}", "read"),
            ("POST", f"/api/v1/obligations/{ids[slug]}/waiver", "waive"),
        ):
            want = expected(email, slug, "upload" if action == "waive" else action)
            if action == "waive" and want == 200:
                continue  # a waiver closes the obligation; the services test waives
            response = api.client.request(
                method, path, headers=api.headers(email), json={"reason": "x"}
            )
            if response.status_code != want:
                wrong.append(f"{email} {method} {path}: {response.status_code}, want {want}")
            if want == 404:
                assert response.json()["detail"] == f"no obligation {ids[slug]}"
    assert wrong == []


@pytest.mark.parametrize("email", list(USERS))
def test_each_user_lists_only_its_tenant_s_obligations(api: Api, email: str) -> None:
    organisation = _organisation(email)
    want = set(AGREEMENTS) if organisation == "acme" else {f"acme-{organisation}"}
    listed = api.get("/api/v1/obligations", email).json()
    assert {item["agreement"] for item in listed} == want
    assert api.get("/api/v1/notifications", email).json() == []


def test_each_user_lists_and_fetches_only_its_own_reports(api: Api) -> None:
    reports = api.world.services.reports
    for partner in ("bravo", "charlie", None):
        content = reports.content(CONSOLE, ReportQuery(period="2026-10", partner=partner))
        reports.store(CONSOLE, content, render_files(content))
    scopes = ("bravo", "charlie", "portfolio")
    wrong = []
    for email in USERS:
        organisation = _organisation(email)
        readable = set(scopes) if organisation == "acme" else {organisation}
        listed = {r["scope"] for r in api.get("/api/v1/reports", email).json()}
        if listed != readable:
            wrong.append(f"{email} lists {sorted(listed)}, want {sorted(readable)}")
        for scope in scopes:
            path = f"/api/v1/reports/{scope}/2026-10/report.json"
            response = api.client.get(path, headers=api.headers(email))
            want = 200 if scope in readable else 404
            if response.status_code != want:
                wrong.append(f"{email} GET {path}: {response.status_code}, want {want}")
    missing = api.client.get(
        "/api/v1/reports/nobody/2026-10/report.json", headers=api.headers("partner@bravo.example")
    )
    other = api.client.get(
        "/api/v1/reports/charlie/2026-10/report.json", headers=api.headers("partner@bravo.example")
    )
    assert missing.status_code == other.status_code == 404
    assert wrong == []
