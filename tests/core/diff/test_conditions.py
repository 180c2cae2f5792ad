"""Subset and superset of the rows two conditions select, checked against DuckDB."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.core.diff.conditions import Relation, compare_conditions
from accord.core.expressions import Predicate

STATUSES = [*range(-5, 20), 99, 100, 101, 199, 200, 201, 499, 500, 501, 503, 599, 600]
REGIONS = ["eu", "us", "apac", None]


@pytest.fixture(scope="module")
def rows() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table t (status integer, region varchar)")
    values = [(s, r) for s in [*STATUSES, None] for r in REGIONS]
    con.executemany("insert into t values (?, ?)", values)
    return con


def selected(con: duckdb.DuckDBPyConnection, condition: str) -> set[tuple[object, ...]]:
    sql = Predicate.parse(condition).sql()
    return set(con.execute(f"select status, region from t where {sql}").fetchall())


numbers = st.sampled_from([0, 1, 5, 100, 200, 499, 500, 503, 599])
atoms = st.one_of(
    st.builds(
        lambda op, n: f"status {op} {n}",
        st.sampled_from(["<", "<=", ">", ">=", "=", "<>"]),
        numbers,
    ),
    st.builds(lambda a, b: f"status between {min(a, b)} and {max(a, b)}", numbers, numbers),
    st.builds(
        lambda ns: f"status in ({', '.join(map(str, ns))})",
        st.lists(numbers, min_size=1, max_size=3),
    ),
    st.sampled_from(["region = 'eu'", "region <> 'us'", "region is null", "lower(region) = 'eu'"]),
)
conjunctions = st.lists(atoms, min_size=1, max_size=2).map(" and ".join)
conditions = st.lists(conjunctions, min_size=1, max_size=3).map(
    lambda parts: " or ".join(f"({part})" for part in parts)
)


@settings(max_examples=300, deadline=None)
@given(old=conditions, new=conditions)
def test_a_relation_it_claims_holds_on_every_row(
    rows: duckdb.DuckDBPyConnection, old: str, new: str
) -> None:
    relation = compare_conditions(Predicate.parse(old), Predicate.parse(new))
    before, after = selected(rows, old), selected(rows, new)

    if relation in (Relation.SUBSET, Relation.SAME):
        assert after <= before
    if relation in (Relation.SUPERSET, Relation.SAME):
        assert before <= after


@pytest.mark.parametrize(
    ("old", "new", "relation"),
    [
        ("status < 500 or status = 503", "status < 500", Relation.SUBSET),
        ("status < 500", "status < 500 or status = 503", Relation.SUPERSET),
        ("status < 500", "status<500", Relation.SAME),
        ("500 > status", "status < 500", Relation.SAME),
        ("status >= 500 and status < 600", "status between 500 and 599", Relation.SUBSET),
        ("status in (200, 201)", "status = 200", Relation.SUBSET),
        ("region <> 'eu'", "region = 'us'", Relation.SUBSET),
        ("status < 500", "status < 500 and region = 'eu'", Relation.SUBSET),
        ("status < 500", "lower(region) = 'eu'", Relation.UNKNOWN),
        ("status < 500", "status between 200 and 599", Relation.UNKNOWN),
    ],
)
def test_the_structure_decides_subset_or_superset(old: str, new: str, relation: Relation) -> None:
    assert compare_conditions(Predicate.parse(old), Predicate.parse(new)) is relation
