"""The agreement portfolio: validated uploads, immutable versions, parties, diff, document."""

from __future__ import annotations

import pytest

from accord.services.container import Services
from accord.services.errors import Conflict, Forbidden, Invalid, NotFound
from accord.services.portfolio import UploadVersion
from tests.services.world import CONSOLE, World, agreement_text

BROKEN = """\
apiVersion: accord/v1
kind: Agreement
metadata:
  id: broken
  title: Broken
  version: "1"
timezone: Mars/Olympus
parties:
  - {id: acme, name: Acme, role: consumer}
"""


def test_an_upload_is_version_1_and_names_its_parties(world: World) -> None:
    viewer = world.principal("viewer@acme.example")
    agreement = world.services.portfolio.agreement(viewer, "acme-bravo")
    assert agreement.latest is not None
    assert (agreement.latest.number, agreement.latest.label) == (1, "1")
    assert {(p.id, p.organisation) for p in agreement.parties} == {
        ("acme", "acme"),
        ("bravo", "bravo"),
    }
    assert agreement.owner == "acme"


def test_an_invalid_upload_lists_every_problem_with_line_and_column(world: World) -> None:
    manager = world.principal("manager@acme.example")
    with pytest.raises(Invalid) as caught:
        world.services.portfolio.upload(manager, UploadVersion(text=BROKEN, name="broken.yaml"))
    problems = caught.value.problems
    assert len(problems) >= 3
    assert "broken.yaml: the agreement is not valid" in caught.value.message
    zone = next(p for p in problems if p.path == "timezone")
    assert (zone.file, zone.line, zone.column) == ("broken.yaml", 7, 11)
    assert any(p.path == "parties" for p in problems)
    assert any(p.path in {"term", "(document)"} for p in problems)


def test_the_same_meaning_uploaded_again_adds_no_version(world: World) -> None:
    manager = world.principal("manager@acme.example")
    again = world.services.portfolio.upload(manager, UploadVersion(text=agreement_text("bravo")))
    assert (again.number, again.created) == (1, False)


def test_new_text_becomes_the_next_version_and_old_ones_stay(world: World) -> None:
    manager = world.principal("manager@acme.example")
    text = agreement_text("bravo", target="99.5%", version="2")
    second = world.services.portfolio.upload(manager, UploadVersion(text=text))
    assert (second.number, second.label) == (2, "2")
    first = world.services.portfolio.version(manager, "acme-bravo", 1)
    assert first.text == agreement_text("bravo")
    assert [
        v.number for v in world.services.portfolio.agreement(manager, "acme-bravo").versions
    ] == [1, 2]


def test_a_diff_says_what_changed_between_versions(world: World) -> None:
    manager = world.principal("manager@acme.example")
    text = agreement_text("bravo", target="99.5%", version="2")
    world.services.portfolio.upload(manager, UploadVersion(text=text))
    diff = world.services.portfolio.diff(manager, "acme-bravo", 1, 2)
    assert diff["format"] == "accord.diff/v1"
    paths = [change["path"] for change in diff["changes"]]
    assert "objectives[availability].target" in paths


@pytest.mark.parametrize(("output", "marker"), [("html", b"<html"), ("markdown", b"# Acme")])
def test_the_document_is_rendered_from_the_stored_version(
    world: World, output: str, marker: bytes
) -> None:
    document = world.services.portfolio.document(
        world.principal("partner@bravo.example"), "acme-bravo", None, output
    )
    assert marker in document.content
    assert document.filename.startswith("acme-bravo-v1.")


def test_an_unknown_document_format_is_invalid(world: World) -> None:
    with pytest.raises(Invalid, match="no document format"):
        world.services.portfolio.document(CONSOLE, "acme-bravo", 1, "docx")


def test_a_provider_without_an_organisation_must_be_linked(world: World) -> None:
    manager = world.principal("manager@acme.example")
    with pytest.raises(Invalid, match="link each party") as caught:
        world.services.portfolio.upload(manager, UploadVersion(text=agreement_text("delta")))
    assert "delta (provider)" in caught.value.message
    linked = world.services.portfolio.upload(
        manager, UploadVersion(text=agreement_text("delta"), parties={"delta": "charlie"})
    )
    assert linked.number == 1


def test_a_party_stays_linked_to_its_organisation(world: World) -> None:
    manager = world.principal("manager@acme.example")
    with pytest.raises(Conflict, match="for good"):
        world.services.portfolio.upload(
            manager, UploadVersion(text=agreement_text("bravo"), parties={"bravo": "charlie"})
        )


def test_linking_a_party_the_agreement_does_not_have_is_invalid(world: World) -> None:
    with pytest.raises(Invalid, match="no party 'zulu'"):
        world.services.portfolio.upload(
            world.principal("manager@acme.example"),
            UploadVersion(text=agreement_text("bravo"), parties={"zulu": "charlie"}),
        )


@pytest.mark.parametrize(
    "email", ["viewer@acme.example", "partner@bravo.example", "admin@bravo.example"]
)
def test_only_the_company_s_managers_upload(world: World, email: str) -> None:
    with pytest.raises(Forbidden):
        world.services.portfolio.upload(
            world.principal(email), UploadVersion(text=agreement_text("bravo"))
        )


def test_a_partner_lists_only_its_own_agreements(world: World) -> None:
    bravo = world.principal("partner@bravo.example")
    assert [a.id for a in world.services.portfolio.agreements(bravo)] == ["acme-bravo"]
    with pytest.raises(NotFound):
        world.services.portfolio.agreement(bravo, "acme-charlie")
    with pytest.raises(NotFound):
        world.services.portfolio.diff(bravo, "acme-charlie", 1, 1)


def test_the_company_lists_all_its_agreements(world: World) -> None:
    viewer = world.principal("viewer@acme.example")
    assert [a.id for a in world.services.portfolio.agreements(viewer)] == [
        "acme-bravo",
        "acme-charlie",
    ]


def test_an_upload_before_the_company_exists_is_a_conflict(services: Services) -> None:
    with pytest.raises(Conflict, match="company organisation"):
        services.portfolio.upload(CONSOLE, UploadVersion(text=agreement_text("bravo")))


def test_uploads_and_links_are_audited(world: World) -> None:
    actions = [e["action"] for e in world.services.audit.entries(CONSOLE, limit=1000)]
    assert actions.count("agreement.created") == 2
    assert actions.count("agreement_version.uploaded") == 2
    assert actions.count("agreement_party.linked") == 4
