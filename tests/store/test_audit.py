"""The audit chain: appended in the change's transaction, verified link by link, and every
kind of tampering (edit, delete, insert, reorder) is named by the entry it touched."""

from __future__ import annotations

import datetime as dt
import threading

from sqlalchemy import Engine, text

from accord.store.audit import (
    GENESIS,
    AuditRecord,
    FindingKind,
    Verification,
    append,
    entries,
    entry_hash,
    ranges,
    redact,
    verify,
)
from accord.store.db import WRITE
from accord.store.tables import AuditEntryRow
from accord.store.tenancy import Tenant
from tests.store.seed import AT, open_session


def _write(engine: Engine, count: int) -> None:
    with open_session(engine, Tenant.system()) as session:
        for number in range(1, count + 1):
            record = AuditRecord(
                actor="admin@acme",
                action="agreement.created",
                entity="agreement",
                entity_id=str(number),
                before=None,
                after={"slug": f"a{number}", "title": "Ünïcode ✓", "n": number},
            )
            append(session, record, AT + dt.timedelta(seconds=number))
        session.commit()


def _verify(engine: Engine) -> Verification:
    with open_session(engine, Tenant.system()) as session:
        return verify(session)


def _tamper(engine: Engine, *statements: str) -> None:
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def test_entries_form_a_chain_from_the_genesis_hash(engine: Engine) -> None:
    _write(engine, 3)
    with open_session(engine, Tenant.system()) as session:
        rows = entries(session)
    assert [row.seq for row in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS
    assert [row.prev_hash for row in rows[1:]] == [row.hash for row in rows[:-1]]
    assert all(entry_hash(row.prev_hash, row) == row.hash for row in rows)


def test_an_untouched_trail_verifies(engine: Engine) -> None:
    _write(engine, 5)
    result = _verify(engine)
    assert result.ok
    assert (result.entries, result.head_seq) == (5, 5)


def test_an_empty_trail_verifies() -> None:
    assert Verification(0, 0, GENESIS, ()).ok


def test_an_entry_left_uncommitted_is_not_in_the_trail(engine: Engine) -> None:
    _write(engine, 1)
    with open_session(engine, Tenant.system()) as session:
        append(session, AuditRecord("a", "x.changed", "x", "1"), AT)
        session.rollback()
    assert _verify(engine).entries == 1


def test_an_edited_entry_is_named(engine: Engine) -> None:
    _write(engine, 5)
    _tamper(engine, """UPDATE audit_entries SET after = '{"slug":"forged"}' WHERE seq = 3""")
    result = _verify(engine)
    assert [(f.seq, f.kind) for f in result.findings] == [(3, FindingKind.EDITED)]
    assert "entry 3 was edited" in result.findings[0].message


def test_every_edited_entry_is_named(engine: Engine) -> None:
    _write(engine, 5)
    _tamper(
        engine,
        "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 2",
        "UPDATE audit_entries SET action = 'nothing.happened' WHERE seq = 4",
    )
    assert [(f.seq, f.kind) for f in _verify(engine).findings] == [
        (2, FindingKind.EDITED),
        (4, FindingKind.EDITED),
    ]


def test_a_deleted_entry_is_named(engine: Engine) -> None:
    _write(engine, 5)
    _tamper(engine, "DELETE FROM audit_entries WHERE seq = 3")
    result = _verify(engine)
    assert [(f.seq, f.kind) for f in result.findings] == [(3, FindingKind.DELETED)]
    assert "entry 3 was deleted" in result.findings[0].message


def test_a_deleted_first_entry_is_named(engine: Engine) -> None:
    _write(engine, 3)
    _tamper(engine, "DELETE FROM audit_entries WHERE seq = 1")
    assert [(f.seq, f.kind) for f in _verify(engine).findings] == [(1, FindingKind.DELETED)]


def _shift_up_from(engine: Engine, seq: int, last: int) -> None:
    _tamper(
        engine,
        *(
            f"UPDATE audit_entries SET seq = {n + 1} WHERE seq = {n}"
            for n in range(last, seq - 1, -1)
        ),
    )


def test_an_inserted_entry_is_named_even_when_its_own_hash_is_right(engine: Engine) -> None:
    _write(engine, 5)
    with open_session(engine, Tenant.system()) as session:
        second = entries(session)[1]
        forged = AuditEntryRow(
            seq=3,
            at=AT,
            actor="mallory",
            action="credit.waived",
            entity="credit",
            entity_id="1",
            before=None,
            after=None,
            prev_hash=second.hash,
            hash="",
        )
        forged.hash = entry_hash(second.hash, forged)
    _shift_up_from(engine, 3, 5)
    with open_session(engine, Tenant.system()) as session:
        session.add(forged)
        session.commit()
    result = _verify(engine)
    assert [(f.seq, f.kind) for f in result.findings] == [(3, FindingKind.INSERTED)]
    assert "entry 3 was inserted" in result.findings[0].message


def test_an_entry_appended_with_a_made_up_link_is_named(engine: Engine) -> None:
    _write(engine, 3)
    _tamper(
        engine,
        "INSERT INTO audit_entries (seq, at, actor, action, entity, entity_id, prev_hash, hash) "
        "VALUES (4, '2026-10-01 12:00:00', 'mallory', 'x', 'x', '1', "
        f"'{'ab' * 32}', '{'cd' * 32}')",
    )
    assert [(f.seq, f.kind) for f in _verify(engine).findings] == [(4, FindingKind.INSERTED)]


def test_reordered_entries_are_named(engine: Engine) -> None:
    _write(engine, 5)
    _tamper(
        engine,
        "UPDATE audit_entries SET seq = 100 WHERE seq = 3",
        "UPDATE audit_entries SET seq = 3 WHERE seq = 4",
        "UPDATE audit_entries SET seq = 4 WHERE seq = 100",
    )
    result = _verify(engine)
    assert [(f.seq, f.kind) for f in result.findings] == [(3, FindingKind.REORDERED)]
    assert "out of order" in result.findings[0].message


def test_an_edit_that_recomputes_the_hash_is_caught_by_the_next_link(engine: Engine) -> None:
    _write(engine, 4)
    with open_session(engine, Tenant.system()) as session:
        rows = entries(session)
        rows[1].actor = "mallory"
        forged_hash = entry_hash(rows[1].prev_hash, rows[1])
        session.rollback()
    _tamper(
        engine, f"UPDATE audit_entries SET actor = 'mallory', hash = '{forged_hash}' WHERE seq = 2"
    )
    assert [(f.seq, f.kind) for f in _verify(engine).findings] == [(2, FindingKind.EDITED)]


def _append_in_own_transaction(engine: Engine, writer: int) -> None:
    for number in range(5):
        with open_session(engine, Tenant.system()) as session:
            session.connection(execution_options={WRITE: True})
            record = AuditRecord(f"writer{writer}", "x.changed", "x", str(number))
            append(session, record, AT)
            session.commit()


def test_concurrent_appenders_never_share_a_number_or_break_the_chain(engine: Engine) -> None:
    threads = [
        threading.Thread(target=_append_in_own_transaction, args=(engine, writer))
        for writer in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result = _verify(engine)
    assert result.ok, result.findings
    assert result.entries == 20


def _redact(engine: Engine, seqs: list[int]) -> None:
    with open_session(engine, Tenant.system()) as session:
        record = AuditRecord("console", "", "agreement", "a1", after={"data": "audit_logs"})
        redact(session, seqs, record, (AT + dt.timedelta(days=1), None))
        session.commit()


def test_ranges_join_consecutive_numbers() -> None:
    assert ranges([7, 1, 3, 2, 9, 8]) == [[1, 3], [7, 9]]
    assert ranges([]) == []


def test_a_redacted_entry_keeps_its_links_and_the_chain_verifies(engine: Engine) -> None:
    _write(engine, 5)
    _redact(engine, [2, 3])
    with open_session(engine, Tenant.system()) as session:
        rows = entries(session)
    assert [row.action for row in rows] == [
        "agreement.created", "redacted", "redacted", "agreement.created", "agreement.created",
        "retention.purged",
    ]  # fmt: skip
    assert rows[1].after is None
    assert rows[-1].after is not None
    assert '"redacted":[[2,3]]' in rows[-1].after
    assert _verify(engine).ok


def test_an_entry_redacted_without_a_purge_naming_it_is_an_edit(engine: Engine) -> None:
    _write(engine, 5)
    _redact(engine, [2])
    _tamper(engine, "UPDATE audit_entries SET action = 'redacted', after = NULL WHERE seq = 4")
    assert [(f.seq, f.kind) for f in _verify(engine).findings] == [(4, FindingKind.EDITED)]


def test_an_edited_purge_entry_vouches_for_nothing(engine: Engine) -> None:
    _write(engine, 5)
    _redact(engine, [2])
    _tamper(engine, "UPDATE audit_entries SET actor = 'mallory' WHERE seq = 6")
    kinds = [(f.seq, f.kind) for f in _verify(engine).findings]
    assert kinds == [(2, FindingKind.EDITED), (6, FindingKind.EDITED)]
