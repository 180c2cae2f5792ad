"""``kill -9`` of the worker while it delivers loses no notification, and a message is sent
again only when the kill fell between the send and its record, then with the same Message-ID.

A real ``accord worker --once`` process delivers two reminders to a real SMTP server. The
server's handler kills the worker with SIGKILL after receiving the first message and before
answering it: the worst moment, when the message has left but the worker has not recorded
it. A second worker finds that attempt unfinished, records it as interrupted and sends the
message again with the same Message-ID (receivers drop the copy by it), then sends the
second. A third worker sends nothing.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from accord.bootstrap import build
from accord.services.organisations import CreateOrganisation, OrganisationKind
from accord.services.permissions import Principal
from accord.services.portfolio import UploadVersion
from accord.settings import Settings
from tests.mailbox import Mailbox

CONSOLE = Principal.console()
ACCORD = str(Path(sys.executable).with_name("accord"))


def _agreement() -> str:
    """A term whose notice deadlines fall within the 30-day reminder lead, from today."""
    end = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=15)
    return f"""\
apiVersion: accord/v1
kind: Agreement
metadata: {{id: acme-bravo, title: Acme and Bravo, version: "1"}}
timezone: UTC
parties:
  - id: acme
    name: Acme Retail
    role: consumer
    contacts: [{{name: Vendor desk, email: vendors@acme.example}}]
  - {{id: bravo, name: Bravo Payments, role: provider}}
term:
  effective: {end - dt.timedelta(days=365)}
  end: {end}
  renewal: {{mode: manual, notice: 10 days}}
  termination_notice: 10 days
notifications: {{reminders: [30 days]}}
"""


def _prepare(data_dir: Path) -> None:
    services = build(Settings.for_data_dir(data_dir))
    try:
        organisations = services.organisations
        organisations.create_organisation(
            CONSOLE,
            CreateOrganisation(slug="acme", name="Acme Retail", kind=OrganisationKind.COMPANY),
        )
        organisations.create_organisation(CONSOLE, CreateOrganisation(slug="bravo", name="Bravo"))
        services.portfolio.upload(CONSOLE, UploadVersion(text=_agreement()))
    finally:
        services.close()


def _worker(data_dir: Path, smtp: Mailbox) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ACCORD_DATA_DIR": str(data_dir),
        "ACCORD_SMTP_HOST": smtp.host,
        "ACCORD_SMTP_PORT": str(smtp.port),
    }
    env.pop("ACCORD_DATABASE_URL", None)
    env.pop("ACCORD_CONFIG", None)
    return subprocess.Popen(
        [ACCORD, "worker", "--once"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _histories(data_dir: Path) -> dict[str, list[str]]:
    services = build(Settings.for_data_dir(data_dir))
    try:
        return {
            view.message_id: [
                a.outcome for a in services.notifications.get(CONSOLE, view.id).history
            ]
            for view in services.notifications.matching(CONSOLE)
        }
    finally:
        services.close()


def test_kill_9_between_send_and_record_loses_nothing_and_resends_only_that_message(
    tmp_path: Path, smtp: Mailbox
) -> None:
    data_dir = tmp_path / "data"
    _prepare(data_dir)
    victim: list[subprocess.Popen[bytes]] = []

    def kill_the_sender(_message: EmailMessage) -> None:
        if len(smtp.messages) == 1:
            os.kill(victim[0].pid, signal.SIGKILL)
            victim[0].wait(timeout=60)

    smtp.on_message = kill_the_sender
    victim.append(_worker(data_dir, smtp))
    victim[0].communicate(timeout=120)
    assert victim[0].returncode == -signal.SIGKILL
    [first] = [str(m["Message-ID"]) for m in smtp.messages]
    assert _histories(data_dir)[first] == ["sending"]

    smtp.on_message = None
    second = _worker(data_dir, smtp)
    _out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()
    counts = collections.Counter(str(m["Message-ID"]) for m in smtp.messages)
    assert len(counts) == 2  # both reminders arrived: nothing lost
    assert counts[first] == 2  # the one in flight at the kill, again, with the same id
    assert sum(counts.values()) == 3  # and nothing else twice
    histories = _histories(data_dir)
    assert histories[first] == ["interrupted", "delivered"]
    [other] = set(counts) - {first}
    assert histories[other] == ["delivered"]

    third = _worker(data_dir, smtp)
    third.communicate(timeout=120)
    assert third.returncode == 0
    assert len(smtp.messages) == 3
