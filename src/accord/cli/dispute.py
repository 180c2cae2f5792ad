"""``accord dispute``: raise a dispute of a verdict or a credit with evidence, answer it, add
evidence files or a party's own data for a source, compare the disputed window judged with
our data and with theirs, take it up the ladder, record its outcome. The operator records
each act for a user with ``--as <email>`` (the user's own permissions and party); without
it, for the company."""

from __future__ import annotations

import dataclasses
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.output import Format, FormatOpt, JsonAliasOpt, console, fail, format_of
from accord.cli.runtime import open_services
from accord.core.disputes import DisputeOutcome
from accord.services.container import Services
from accord.services.dispute_data import DataComparison, DisputeComparison
from accord.services.disputes import (
    DecideDispute,
    DisputeView,
    EvidenceData,
    EvidenceFile,
    RaiseDispute,
    Submission,
)
from accord.services.permissions import Principal

__all__ = ["register"]

dispute = typer.Typer(name="dispute", help="Disputes of verdicts and credits.")
CONSOLE = Principal.console()

AgreementArg = Annotated[str, typer.Argument(help="Agreement id.")]
DisputeArg = Annotated[int, typer.Argument(help="Dispute number.", min=1)]
AsOption = Annotated[
    str | None, typer.Option("--as", help="Act for this user (e-mail): its party and roles.")
]
FileOption = Annotated[list[Path] | None, typer.Option("--file", help="Evidence file (repeat).")]
LinkOption = Annotated[list[str] | None, typer.Option("--link", help="Evidence link (repeat).")]
IncidentOption = Annotated[
    list[int] | None, typer.Option("--incident", help="An incident it refers to (repeat).")
]


def _principal(services: Services, email: str | None) -> Principal:
    return CONSOLE if email is None else services.credentials.acting_as(CONSOLE, email)


def _read(files: list[Path] | None) -> tuple[EvidenceFile, ...]:
    read = []
    for path in files or []:
        try:
            read.append(EvidenceFile(path.name, path.read_bytes()))
        except OSError as exc:
            fail(f"cannot read {path}: {exc.strerror}")
    return tuple(read)


def _submission(
    text: str, files: list[Path] | None, links: list[str] | None, incidents: list[int] | None
) -> Submission:
    return Submission(
        text=text, files=_read(files), links=tuple(links or ()), incidents=tuple(incidents or ())
    )


def _plain(view: DisputeView | DisputeComparison) -> dict[str, Any]:
    return json.loads(json.dumps(dataclasses.asdict(view), default=str))  # type: ignore[no-any-return]


def _say(view: DisputeView) -> None:
    what = f"verdict {view.verdict}" if view.subject == "verdict" else f"credit {view.scheme}"
    console.print(
        f"dispute {view.id} of {view.agreement} ({what}, {view.window}) by {view.party}: "
        f"{view.state}, step {view.step} {escape(view.step_name)}"
    )
    if view.step_due_at is not None:
        console.print(f"  decided by {escape(view.decided_by_authority)} by {view.step_due_at}")
    if view.outcome is not None:
        amount = "" if view.outcome_amount is None else f" {view.outcome_amount} {view.currency}"
        console.print(f"  outcome: {view.outcome}{amount}")


@dispute.command("raise")
def raise_(
    agreement: AgreementArg,
    claim: Annotated[str, typer.Option("--claim", help="What is disputed, and why.")],
    verdict: Annotated[int | None, typer.Option("--verdict", help="The verdict's id.")] = None,
    scheme: Annotated[str | None, typer.Option("--scheme", help="The credit's scheme.")] = None,
    window: Annotated[str | None, typer.Option("--window", help="The credit's window.")] = None,
    amount: Annotated[
        str | None, typer.Option("--amount", help="The credit the party holds owed.")
    ] = None,
    files: FileOption = None,
    links: LinkOption = None,
    incidents: IncidentOption = None,
    acting: AsOption = None,
) -> None:
    """Dispute a verdict (--verdict) or a credit (--scheme and --window), with evidence."""
    command = RaiseDispute(
        agreement=agreement,
        submission=_submission(claim, files, links, incidents),
        verdict=verdict,
        scheme=scheme,
        window=window,
        amount=None if amount is None else _decimal(amount),
    )
    with open_services() as services:
        view = services.disputes.raise_(_principal(services, acting), command)
    _say(view)


def _decimal(text: str) -> Decimal:
    try:
        return Decimal(text)
    except ArithmeticError:
        fail(f"--amount {text!r} is not a number")


@dispute.command("respond")
def respond(
    agreement: AgreementArg,
    dispute_id: DisputeArg,
    text: Annotated[str, typer.Option("--text", help="The answer.")],
    files: FileOption = None,
    links: LinkOption = None,
    incidents: IncidentOption = None,
    acting: AsOption = None,
) -> None:
    """Answer a dispute, or add evidence to it."""
    submission = _submission(text, files, links, incidents)
    with open_services() as services:
        view = services.disputes.respond(
            _principal(services, acting), agreement, dispute_id, submission
        )
    _say(view)


@dispute.command("evidence")
def evidence(
    agreement: AgreementArg,
    dispute_id: DisputeArg,
    files: Annotated[list[Path], typer.Option("--file", help="Evidence file (repeat).")],
    data_for: Annotated[
        str | None,
        typer.Option(
            "--data-for",
            help="The files are the party's own measurements for this source (CSV, JSON "
            "lines or Parquet), judged beside ours by 'accord dispute compare'.",
        ),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="What the files show.")] = None,
    acting: AsOption = None,
) -> None:
    """Add evidence files, or a party's own data for a source, to an open dispute."""
    read = _read(files)
    said = text or "evidence: " + ", ".join(item.name for item in read)
    if data_for is None:
        submission = Submission(text=said, files=read)
    else:
        submission = Submission(text=said, data=tuple(EvidenceData(data_for, f) for f in read))
    with open_services() as services:
        view = services.disputes.respond(
            _principal(services, acting), agreement, dispute_id, submission
        )
    _say(view)
    for item in view.evidence[-len(read) :]:
        rows = ""
        if item.source is not None:
            rows = (
                f" for source {item.source}: {item.rows_accepted} of {item.rows_received} rows "
                f"accepted, {item.rows_rejected} rejected (kept)"
            )
        console.print(f"  evidence {item.kind} {escape(item.reference)} sha256 {item.sha256}{rows}")


@dispute.command("compare")
def compare(
    agreement: AgreementArg,
    dispute_id: DisputeArg,
    output: FormatOpt = Format.TABLE,
    acting: AsOption = None,
) -> None:
    """The disputed window judged with our data and with each party's data, side by side
    (computed now; nothing is recorded)."""
    with open_services() as services:
        found = services.disputes.compare(_principal(services, acting), agreement, dispute_id)
    if output is Format.JSON:
        typer.echo(json.dumps(_plain(found), indent=2))
        return
    console.print(
        f"dispute {found.dispute} of {found.agreement}: verdict {found.verdict} "
        f"({found.objective}, {found.window}) under version {found.version}; nothing recorded"
    )
    if not found.data:
        console.print(
            "no data evidence to compare: add some with 'accord dispute evidence --data-for SOURCE'"
        )
    for data in found.data:
        console.print(_comparison_table(data))


def _comparison_table(data: DataComparison) -> Table:
    table = Table(
        "objective", "scope", "ours", "theirs", "difference", "our credit", "their credit",
        title=f"source {data.source}: ours beside {data.party}'s {escape(data.reference)} "
        f"({data.accepted} rows accepted, {data.rejected} rejected)",
    )  # fmt: skip
    for row in data.objectives:
        table.add_row(
            row.objective,
            row.scope,
            f"{row.ours.outcome} {row.ours.shown}",
            f"{row.theirs.outcome} {row.theirs.shown}",
            row.shown_difference,
            "—" if row.ours.credit is None else str(row.ours.credit),
            "—" if row.theirs.credit is None else str(row.theirs.credit),
        )
    for credit in data.credits:
        table.add_row(
            f"credit {credit.scheme}",
            "",
            f"{credit.ours} {credit.currency}",
            f"{credit.theirs} {credit.currency}",
            f"{credit.difference:+} {credit.currency}",
            "",
            "",
        )
    return table


@dispute.command("escalate")
def escalate(
    agreement: AgreementArg,
    dispute_id: DisputeArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it goes up now.")],
    acting: AsOption = None,
) -> None:
    """Take the dispute to the next step of its ladder."""
    with open_services() as services:
        view = services.disputes.escalate(
            _principal(services, acting), agreement, dispute_id, reason
        )
    _say(view)


@dispute.command("decide")
def decide(
    agreement: AgreementArg,
    dispute_id: DisputeArg,
    outcome: Annotated[DisputeOutcome, typer.Option("--outcome", help="The outcome.")],
    reason: Annotated[str, typer.Option("--reason", help="Why.")],
    amount: Annotated[
        str | None, typer.Option("--amount", help="For adjusted: what the ledger owes.")
    ] = None,
    acting: AsOption = None,
) -> None:
    """Record the outcome reached at the current step; a credit's ledger follows it."""
    command = DecideDispute(
        agreement=agreement,
        dispute=dispute_id,
        outcome=outcome,
        reason=reason,
        amount=None if amount is None else _decimal(amount),
    )
    with open_services() as services:
        view = services.disputes.decide(_principal(services, acting), command)
    _say(view)


@dispute.command("show")
def show(
    agreement: AgreementArg,
    dispute_id: DisputeArg,
    output: FormatOpt = Format.TABLE,
    as_json: JsonAliasOpt = False,
    acting: AsOption = None,
) -> None:
    """The dispute with its ladder, exchange and evidence."""
    with open_services() as services:
        view = services.disputes.show(_principal(services, acting), agreement, dispute_id)
    if format_of(output, as_json) is Format.JSON:
        typer.echo(json.dumps(_plain(view), indent=2))
        return
    _say(view)
    for event in view.events:
        console.print(
            f"  {event.at.isoformat()} {event.kind} ({event.actor}): {escape(event.text)}"
        )
    for item in view.evidence:
        digest = f" sha256 {item.sha256}" if item.sha256 else ""
        console.print(f"  evidence {item.kind} {escape(item.reference)}{digest} from {item.party}")


@dispute.command("list")
def list_(
    agreement: Annotated[str | None, typer.Argument(help="Agreement id (default: all).")] = None,
    output: FormatOpt = Format.TABLE,
    as_json: JsonAliasOpt = False,
    acting: AsOption = None,
) -> None:
    """Disputes, oldest first."""
    with open_services() as services:
        views = services.disputes.list(_principal(services, acting), agreement)
    if format_of(output, as_json) is Format.JSON:
        typer.echo(json.dumps([_plain(view) for view in views], indent=2))
        return
    if not views:
        console.print("no disputes")
    for view in views:
        _say(view)


def register(app: typer.Typer) -> None:
    app.add_typer(dispute)
