"""Counts kept by the writes: summary tables that database triggers maintain, folded periodically.

A summary (`Tally`) holds one row per key with its count `n`. Triggers on the counted table insert
only delta rows (+1/−1 with the key; on PostgreSQL one grouped row per key and statement) into an
append-only table beside it, so concurrent writers never wait on a hot summary row; the periodic
fold (`tally_fold`, run by `workflows.tallies`) moves the deltas into the summary in one
transaction. Readers sum the summary and the pending deltas together, so a count is exact the
moment the write commits. Every write path keeps them: the ORM, bulk_create, `update()`, raw
`INSERT … SELECT`, COPY. `tally_rebuild` recounts from the rows (after a load with the triggers
off, or to repair). This module holds the machinery and the cases' summary (`CASES`); the
tasks' is in `workflows.tallies`.
"""

import dataclasses

from django.db import connection, transaction

from . import access
from .models import Stage, User


@dataclasses.dataclass(frozen=True)
class Tally:
    """A summary: its table, its deltas' table, the counted table, and the key's columns, each
    with its expression over a counted row (`{r}` stands for the row); `where` (over a row)
    says which rows count; `watched` are the counted table's columns a count depends on."""

    summary: str
    deltas: str
    source: str
    key: tuple[tuple[str, str], ...]
    watched: tuple[str, ...]
    where: str = ""

    @property
    def columns(self) -> list[str]:
        return [column for column, _ in self.key]

    def values(self, row: str) -> list[str]:
        return [expression.format(r=row) for _, expression in self.key]

    def counts(self, row: str) -> str:
        return self.where.format(r=row) if self.where else "1 = 1"


CASES = Tally(
    summary="casework_casetally",
    deltas="casework_casetallydelta",
    source="casework_case",
    key=(
        ("county_id", "{r}.county_id"),
        ("township_id", "{r}.township_id"),
        ("region_id", "{r}.region_id"),
        ("stage", "{r}.stage"),
        ("owner_id", "COALESCE({r}.owner_id, 0)"),
    ),
    watched=("county_id", "township_id", "region_id", "stage", "owner_id"),
)

# The needs list's trade totals: cases not in work (surveyed, assisted) whose latest survey
# wishes skill training, by place and trade (Case.trade_wish; "" a wish without a trade).
NEEDS = Tally(
    summary="casework_needstally",
    deltas="casework_needstallydelta",
    source="casework_case",
    key=(
        ("county_id", "{r}.county_id"),
        ("township_id", "{r}.township_id"),
        ("region_id", "{r}.region_id"),
        ("trade", "{r}.trade_wish"),
    ),
    watched=("county_id", "township_id", "region_id", "stage", "trade_wish"),
    where="{r}.trade_wish IS NOT NULL AND {r}.stage IN ('surveyed', 'assisted')",
)


# --- the triggers ------------------------------------------------------------------------------


def _postgresql_triggers(tally: Tally) -> list[str]:
    columns = ", ".join(tally.columns)
    insert = f"INSERT INTO {tally.deltas} ({columns}, n)"
    keyed = ", ".join(f"{value} AS {column}" for value, column in
                      zip(tally.values("r"), tally.columns, strict=True))  # fmt: skip
    group = ", ".join(str(i + 1) for i in range(len(tally.key)))
    function = f"{tally.summary}_deltas"
    body = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {insert} SELECT {keyed}, COUNT(*) FROM new_rows r WHERE {tally.counts("r")}
        GROUP BY {group};
    ELSIF TG_OP = 'DELETE' THEN
        {insert} SELECT {keyed}, -COUNT(*) FROM old_rows r WHERE {tally.counts("r")}
        GROUP BY {group};
    ELSE
        {insert} SELECT {columns}, SUM(n) FROM (
            SELECT {keyed}, 1 AS n FROM new_rows r WHERE {tally.counts("r")}
            UNION ALL
            SELECT {keyed}, -1 AS n FROM old_rows r WHERE {tally.counts("r")}
        ) changed GROUP BY {columns} HAVING SUM(n) <> 0;
    END IF;
    RETURN NULL;
END
$$"""
    # statement-level triggers with transition tables: a bulk write adds one row per key
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
    }
    return [body] + [
        f"CREATE TRIGGER {tally.summary}_{event} AFTER {event.upper()} ON {tally.source} "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
        for event, tables in referencing.items()
    ]


def _sqlite_triggers(tally: Tally) -> list[str]:
    columns = ", ".join(tally.columns)
    insert = f"INSERT INTO {tally.deltas} ({columns}, n)"
    new, old = ", ".join(tally.values("NEW")), ", ".join(tally.values("OLD"))
    changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in tally.watched)
    watched = ", ".join(tally.watched)
    return [
        f"CREATE TRIGGER {tally.summary}_insert AFTER INSERT ON {tally.source} "
        f"WHEN {tally.counts('NEW')} BEGIN {insert} VALUES ({new}, 1); END",
        f"CREATE TRIGGER {tally.summary}_delete AFTER DELETE ON {tally.source} "
        f"WHEN {tally.counts('OLD')} BEGIN {insert} VALUES ({old}, -1); END",
        f"CREATE TRIGGER {tally.summary}_update AFTER UPDATE OF {watched} ON {tally.source} "
        f"WHEN {changed} BEGIN "
        f"{insert} SELECT {old}, -1 WHERE {tally.counts('OLD')}; "
        f"{insert} SELECT {new}, 1 WHERE {tally.counts('NEW')}; END",
    ]


def triggers_create(tally: Tally, schema_editor) -> None:
    """Create the triggers that write the tally's deltas (called by the migrations)."""
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": _postgresql_triggers, "sqlite": _sqlite_triggers}[vendor](tally)
    for statement in statements:
        schema_editor.execute(statement, params=None)


def triggers_drop(tally: Tally, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for event in ("insert", "update", "delete"):
        on = f" ON {tally.source}" if vendor == "postgresql" else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {tally.summary}_{event}{on}", params=None)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {tally.summary}_deltas()", params=None)


# --- fold and rebuild --------------------------------------------------------------------------


@transaction.atomic
def tally_fold(tally: Tally) -> int:
    """Move the pending deltas into the summary in one transaction (rows reaching 0 go);
    how many deltas were folded."""
    columns = ", ".join(tally.columns)
    upsert = f"ON CONFLICT ({columns}) DO UPDATE SET n = {tally.summary}.n + EXCLUDED.n"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX(id), COUNT(*) FROM {tally.deltas}")
        last, pending = cursor.fetchone()
        if last is None:
            return 0
        if connection.vendor == "postgresql":
            # the deltas summed are exactly those deleted (a writer committing late, with a
            # lower id, is left for the next fold rather than deleted unsummed)
            cursor.execute(
                f"WITH folded AS (DELETE FROM {tally.deltas} WHERE id <= %s "
                f"RETURNING {columns}, n) INSERT INTO {tally.summary} ({columns}, n) "
                f"SELECT {columns}, SUM(n) FROM folded GROUP BY {columns} {upsert}",
                [last],
            )
        else:  # SQLite: one writer at a time
            cursor.execute(
                f"INSERT INTO {tally.summary} ({columns}, n) SELECT {columns}, SUM(n) "
                f"FROM {tally.deltas} WHERE id <= %s GROUP BY {columns} {upsert}",
                [last],
            )
            cursor.execute(f"DELETE FROM {tally.deltas} WHERE id <= %s", [last])
        cursor.execute(f"DELETE FROM {tally.summary} WHERE n = 0")
    return pending


@transaction.atomic
def tally_rebuild(tally: Tally) -> int:
    """Recount the summary from the counted rows and drop every delta; how many summary rows.
    On PostgreSQL the TRUNCATE holds writers' deltas until the recount commits."""
    columns = ", ".join(tally.columns)
    keyed = ", ".join(tally.values("r"))
    group = ", ".join(str(i + 1) for i in range(len(tally.key)))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {tally.deltas}, {tally.summary}")
        else:
            cursor.execute(f"DELETE FROM {tally.deltas}")
            cursor.execute(f"DELETE FROM {tally.summary}")
        cursor.execute(
            f"INSERT INTO {tally.summary} ({columns}, n) SELECT {keyed}, COUNT(*) "
            f"FROM {tally.source} r WHERE {tally.counts('r')} GROUP BY {group}"
        )
        return cursor.rowcount


# --- reading -----------------------------------------------------------------------------------


def scope_where(scope: access.Scope, places: dict[str, str]) -> tuple[str, list] | None:
    """The scope as SQL over a summary's columns (`places`: "county", "township", "village" →
    column); None when the summary has no column for a part of the scope."""
    if scope.empty:
        return "1 = 0", []
    parts, params = [], []
    for part, ids in (("county", scope.county_ids), ("township", scope.township_ids),
                      ("village", scope.village_ids)):  # fmt: skip
        if not ids:
            continue
        if part not in places:
            return None
        parts.append(f"{places[part]} IN ({', '.join(['%s'] * len(ids))})")
        params += sorted(ids)
    return "(" + " OR ".join(parts) + ")", params


def tally_sum(
    tally: Tally, where: str, params: list, select: str, group: str = "", *,
    select_params: tuple = (), join: str = "",
) -> list:  # fmt: skip
    """Rows of `select` (over `t`, the key's columns and `n`; counts are SUM(t.n)) from the
    summary and its pending deltas together, restricted by `where`, grouped by `group`; `join`
    may add tables for names. One query."""
    columns = ", ".join(tally.columns)
    pending = (
        f"SELECT {columns}, n FROM {tally.summary} WHERE {where} "
        f"UNION ALL SELECT {columns}, n FROM {tally.deltas} WHERE {where}"
    )
    grouping = f" GROUP BY {group}" if group else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {select} FROM ({pending}) t {join}{grouping}",
            [*select_params, *params, *params],
        )
        return cursor.fetchall()


CASE_PLACES = {"county": "county_id", "township": "township_id", "village": "region_id"}


def _case_scope(user: User) -> tuple[str, list]:
    return scope_where(access.scope_of(user), CASE_PLACES)


def case_counts_by_stage(user: User) -> dict[str, int]:
    """How many of the user's cases (`access.cases_visible_to`, merged ones included) are in
    each stage; stages with none are left out."""
    where, params = _case_scope(user)
    rows = tally_sum(CASES, where, params, "stage, SUM(n)", group="stage")
    return {stage: n for stage, n in rows if n}


def open_cases_by_county(user: User) -> dict[int, int]:
    """How many of the user's cases are open (not closed), per county id."""
    where, params = _case_scope(user)
    rows = tally_sum(CASES, f"{where} AND stage <> %s", params + [Stage.CLOSED],
                     "county_id, SUM(n)", group="county_id")  # fmt: skip
    return {county_id: n for county_id, n in rows if n}


def open_cases_held_by(user: User, owner: User | None) -> int:
    """How many of the user's open cases `owner` holds (None: nobody)."""
    where, params = _case_scope(user)
    owner_id = owner.pk if owner is not None else 0
    rows = tally_sum(CASES, f"{where} AND stage <> %s AND owner_id = %s",
                     params + [Stage.CLOSED, owner_id], "SUM(n)")  # fmt: skip
    return rows[0][0] or 0


def needs_trade_counts(user: User, places: dict[str, int]) -> list[tuple[str, str, int]]:
    """(township name, trade, n): the user's cases not in work wishing skill training, per
    township and trade, within `places` ({"county"|"township"|"village": id}, already checked
    to lie in the user's scope)."""
    where, params = _case_scope(user)
    for part, value in places.items():
        where += f" AND {CASE_PLACES[part]} = %s"
        params = [*params, value]
    rows = tally_sum(
        NEEDS, where, params, "x.name, t.trade, SUM(t.n)", group="x.name, t.trade",
        join="JOIN casework_region x ON x.id = t.township_id",
    )  # fmt: skip
    return [(township, trade, n) for township, trade, n in rows if n]
