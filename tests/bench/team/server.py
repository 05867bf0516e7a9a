"""Team-server databases of bulk cases for the benchmarks: made once by `dsar-desk team init`
and seeded by the server itself, then kept in the cluster between runs.

A million cases through the ORM would take the better part of an hour; here the server
builds them in a few statements (INSERT … SELECT over generate_series), drawing from the same
lists, in the same shares, as app.demo.bulk_cases does for the SQLite benchmark stores: one
requester per case (a name from FIRST × LAST, an email made from it and the case's number, a
street address and a phone number), received on a day of the last three years, a type, a
status (6 open : 3 closed : 1 paused for clarification) and the deadlines the desk computes.
What needs the desk's own code is worked out in Python for the few values it can take and
handed to the server as small tables: every name with its folded form (app.text.fold), every
type's description and its folded key, and the deadlines of each receipt day (app.deadlines,
bank holidays included). Like the SQLite stores, the cases carry no events.

The indexes of `cases` and `requesters` are dropped while the rows go in and built again
from their own definitions afterwards (one sort per index instead of a million insertions
into each, the trigram indexes above all), then the tables are analysed, so the planner
knows their sizes from the first query.

The database is named after its size (`dsar_bench_100000`) and carries a fingerprint in its
comment (the migrations, the seeder's version `_SEEDER` and the day it was seeded for); a
database whose fingerprint differs is dropped and made again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import Connection, create_engine, text

from app import demo
from app.deadlines import Clock, case_deadlines
from app.domain import RequestType, Status
from app.settings import OrgSettings
from app.team.roles import TeamRole, add_member
from app.team.setup import init_team
from app.text import fold
from tests.engines import OWNER, PASSWORD, Cluster

_PROJECT = Path(__file__).resolve().parents[3]
_SEEDED_TABLES = ("requesters", "cases")
DAYS = 3 * 365  # receipt days go back this far, as in app.demo.bulk_cases
_SEEDER = 1  # raise when `seed` changes what it writes


@dataclass(frozen=True, slots=True)
class Member:
    """A simulated user: their own login role in one of the team's groups."""

    name: str
    group: str


def bench_members(count: int) -> list[Member]:
    """`count` members: the first a DPO, the rest caseworkers (a team's usual shape)."""
    return [
        Member(f"bench_user_{n}", TeamRole.DPO.value if n == 1 else TeamRole.CASEWORKER.value)
        for n in range(1, count + 1)
    ]


def ensure_members(cluster: Cluster, members: list[Member]) -> None:
    """Each member's login role, made by the desk's own add-member code when missing."""
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            for member in members:
                exists = connection.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": member.name}
                ).scalar()
                if not exists:
                    add_member(connection, member.name, PASSWORD, TeamRole(member.group))
    finally:
        engine.dispose()


def bench_database(cluster: Cluster, count: int, *, today: date) -> str:
    """The name of a database of `count` bulk cases received up to `today` (made if missing)."""
    name = f"dsar_bench_{count}"
    mark = _fingerprint(count, today)
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            found = connection.execute(
                text(
                    "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                    "WHERE datname = :name"
                ),
                {"name": name},
            ).first()
            if found is not None and found[0] == mark:
                return name
        init_database(cluster, name)
        seed(cluster.url(name, "owner"), count, today=today)
        with engine.connect() as connection:  # last: a half-seeded database has no mark
            connection.exec_driver_sql(f"COMMENT ON DATABASE {name} IS '{mark}'")
    finally:
        engine.dispose()
    return name


def init_database(cluster: Cluster, name: str) -> None:
    """A new, empty database `name` owned by the team's owner role, made ready by
    `dsar-desk team init` (app.team.setup.init_team); an older one of that name goes."""
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            _ensure_owner(connection)
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            connection.exec_driver_sql(f"CREATE DATABASE {name} OWNER {OWNER}")
    finally:
        engine.dispose()
    init_team(cluster.url(name, "owner"))


def working_copy(cluster: Cluster, source: str) -> str:
    """A copy of `source` to write in (the simulated users add notes), so the cached
    database stays as seeded; drop it with `drop_database`."""
    copy = f"{source}_work"
    engine = cluster.admin()
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {copy} WITH (FORCE)")
            connection.exec_driver_sql(
                f"CREATE DATABASE {copy} TEMPLATE {source} OWNER {OWNER} STRATEGY FILE_COPY"
            )
    finally:
        engine.dispose()
    return copy


def drop_database(cluster: Cluster, name: str) -> None:
    cluster.drop_database(name)


def _ensure_owner(connection: Connection) -> None:
    exists = connection.execute(
        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": OWNER}
    ).scalar()
    if not exists:
        connection.exec_driver_sql(f"CREATE ROLE {OWNER} LOGIN CREATEROLE")
        connection.exec_driver_sql(f"ALTER ROLE {OWNER} PASSWORD '{PASSWORD}'")


def _fingerprint(count: int, today: date) -> str:
    digest = hashlib.sha256(f"{_SEEDER} {count} {today.isoformat()}".encode())
    for source in sorted((_PROJECT / "app" / "migrations" / "versions").glob("*.py")):
        digest.update(source.name.encode() + source.read_bytes())
    return f"dsar-desk bench {digest.hexdigest()[:16]}"


# ---------------------------------------------------------------------------------------
# Seeding


def seed(url: str, count: int, *, today: date, settings: OrgSettings | None = None) -> None:
    """`count` cases (with their requesters) into the empty store at `url`, as its owner."""
    settings = settings or OrgSettings()
    engine = create_engine(
        url.replace("postgresql://", "postgresql+pg8000://", 1),
        connect_args={"ssl_context": False},
    )
    try:
        with engine.begin() as connection:
            _lookup_tables(connection, today=today, settings=settings)
            connection.execute(text("SELECT setseed(0.11)"))
            connection.execute(text(_DRAWS), {"count": count, "today": today, "days": DAYS})
            indexes = _drop_indexes(connection)
            connection.exec_driver_sql(_REQUESTERS)
            connection.exec_driver_sql(_CASES)
            connection.exec_driver_sql(_COUNTERS)
            for table in _SEEDED_TABLES:
                connection.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT max(id) FROM {table}))"
                )
            connection.exec_driver_sql("SET LOCAL maintenance_work_mem = '512MB'")
            for definition in indexes:
                connection.exec_driver_sql(definition)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in _SEEDED_TABLES:
                connection.exec_driver_sql(f"VACUUM ANALYZE {table}")
    finally:
        engine.dispose()


def _drop_indexes(connection: Connection) -> list[str]:
    """Drop the plain indexes of the seeded tables (not their keys or unique constraints,
    which other tables' foreign keys need); return their definitions to build them again."""
    rows = connection.execute(
        text(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
            "FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid "
            "WHERE t.relname = ANY(:tables) AND NOT i.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        ),
        {"tables": list(_SEEDED_TABLES)},
    ).all()
    for name, _definition in rows:
        connection.exec_driver_sql(f"DROP INDEX {name}")
    return [definition for _name, definition in rows]


def _lookup_tables(connection: Connection, *, today: date, settings: OrgSettings) -> None:
    """The small tables the server draws from, with what only the desk's code can work out."""
    connection.exec_driver_sql(
        "CREATE TEMP TABLE bench_names (k int PRIMARY KEY, name text, folded text, "
        "email_local text, email_folded text) ON COMMIT DROP"
    )
    names = []
    for first in demo.FIRST:
        for last in demo.LAST:
            local = fold(f"{first}.{last}").replace(" ", "").replace("'", "")
            names.append((f"{first} {last}", fold(f"{first} {last}"), local, fold(local)))
    connection.execute(
        text("INSERT INTO bench_names VALUES (:k, :name, :folded, :local, :email)"),
        [
            {"k": k, "name": n, "folded": f, "local": loc, "email": e}
            for k, (n, f, loc, e) in enumerate(names, start=1)
        ],
    )
    connection.exec_driver_sql(
        "CREATE TEMP TABLE bench_places (k int PRIMARY KEY, street text, town text, "
        "postcode text) ON COMMIT DROP"
    )
    places = [(street, town, code) for street in demo.STREETS for town, code in demo.TOWNS]
    connection.execute(
        text("INSERT INTO bench_places VALUES (:k, :street, :town, :code)"),
        [
            {"k": k, "street": s, "town": t, "code": c}
            for k, (s, t, c) in enumerate(places, start=1)
        ],
    )
    connection.exec_driver_sql(
        "CREATE TEMP TABLE bench_types (k int PRIMARY KEY, request_type text, "
        "description text, description_key text, opt_out boolean) ON COMMIT DROP"
    )
    connection.execute(
        text("INSERT INTO bench_types VALUES (:k, :type, :text, :key, :opt_out)"),
        [
            {
                "k": k,
                "type": kind.value,
                "text": demo.DESCRIPTIONS[kind],
                "key": fold(demo.DESCRIPTIONS[kind]),
                "opt_out": kind is RequestType.MARKETING_OPT_OUT,
            }
            for k, kind in enumerate(RequestType, start=1)
        ],
    )
    connection.exec_driver_sql(
        "CREATE TEMP TABLE bench_dues (received_on date, opt_out boolean, statutory date, "
        "promised date, effective date, PRIMARY KEY (received_on, opt_out)) ON COMMIT DROP"
    )
    dues = []
    for back in range(DAYS + 1):
        received = today - timedelta(days=back)
        for opt_out in (False, True):
            found = case_deadlines(
                Clock(
                    start=received,
                    marketing_opt_out=opt_out,
                    region=settings.region,
                    promise_days=settings.promise_days,
                )
            )
            dues.append(
                {
                    "on": received,
                    "opt_out": opt_out,
                    "statutory": found.statutory,
                    "promised": found.promised,
                    "effective": found.effective,
                }
            )
    connection.execute(
        text("INSERT INTO bench_dues VALUES (:on, :opt_out, :statutory, :promised, :effective)"),
        dues,
    )
    connection.execute(
        text(
            "CREATE TEMP TABLE bench_settings ON COMMIT DROP AS "
            "SELECT CAST(:region AS text) AS region, CAST(:promise AS int) AS promise_days"
        ),
        {"region": settings.region, "promise": settings.promise_days},
    )


# One row of random draws per case (setseed makes them the same every time).
_DRAWS = """
CREATE TEMP TABLE bench_draws ON COMMIT DROP AS
SELECT n,
       1 + floor(random() * (SELECT count(*) FROM bench_names))::int AS name_k,
       1 + floor(random() * (SELECT count(*) FROM bench_places))::int AS place_k,
       1 + floor(random() * 180)::int AS house,
       100 + floor(random() * 900)::int AS phone,
       CAST(:today AS date) - floor(random() * (CAST(:days AS int) + 1))::int AS received_on,
       1 + floor(random() * (SELECT count(*) FROM bench_types))::int AS type_k,
       floor(random() * 10)::int AS status_k
FROM generate_series(1, CAST(:count AS int)) AS n
"""

_REQUESTERS = """
INSERT INTO requesters (id, name, email, postal_address, phone, email_key, created_at)
SELECT d.n, nm.name, nm.email_local || (d.n - 1) || '@example.org',
       d.house || ' ' || p.street || E'\\n' || p.town || E'\\n' || p.postcode,
       '07700 900' || d.phone, lower(nm.email_local || (d.n - 1) || '@example.org'),
       now() AT TIME ZONE 'UTC'
FROM bench_draws d
JOIN bench_names nm ON nm.k = d.name_k
JOIN bench_places p ON p.k = d.place_k
"""

# References are numbered within each receipt year in the order of the cases, as the desk
# hands them out; `{:04d}` pads to four digits and never cuts a longer number.
_CASES = f"""
INSERT INTO cases (id, reference, requester_id, request_type, channel, received_on,
    description, status, outcome, closed_on, identity_required, clock_start, paused_on,
    pauses, extension_months, region, promise_days, statutory_due, promised_due,
    effective_due, search_key, description_key, requester_sort, created_at, updated_at,
    version)
SELECT d.n, r.reference, d.n, t.request_type, 'email', d.received_on,
       t.description, s.status,
       CASE WHEN s.status = '{Status.CLOSED.value}' THEN 'fulfilled' END,
       CASE WHEN s.status = '{Status.CLOSED.value}' THEN d.received_on + 20 END,
       false, d.received_on,
       CASE WHEN s.status = '{Status.AWAITING_CLARIFICATION.value}' THEN d.received_on END,
       '[]'::json, 0, bs.region, bs.promise_days,
       du.statutory, du.promised, du.effective,
       lower(r.reference) || ' ' || nm.folded || ' ' || nm.email_folded || (d.n - 1)
           || '@example.org',
       t.description_key, nm.folded,
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 1
FROM bench_draws d
JOIN bench_names nm ON nm.k = d.name_k
JOIN bench_types t ON t.k = d.type_k
JOIN bench_dues du ON du.received_on = d.received_on AND du.opt_out = t.opt_out
CROSS JOIN bench_settings bs
CROSS JOIN LATERAL (SELECT CASE WHEN d.status_k < 6 THEN '{Status.OPEN.value}'
                                WHEN d.status_k < 9 THEN '{Status.CLOSED.value}'
                                ELSE '{Status.AWAITING_CLARIFICATION.value}' END AS status) s
JOIN (SELECT n, 'DSR-' || extract(year FROM received_on)::int || '-'
             || lpad(number::text, greatest(4, length(number::text)), '0') AS reference
      FROM (SELECT n, received_on, row_number() OVER (
                PARTITION BY extract(year FROM received_on) ORDER BY n) AS number
            FROM bench_draws) numbered) r ON r.n = d.n
"""

_COUNTERS = """
INSERT INTO reference_counters (year, last_number)
SELECT extract(year FROM received_on)::int, count(*) FROM bench_draws GROUP BY 1
ON CONFLICT (year) DO UPDATE
SET last_number = greatest(reference_counters.last_number, excluded.last_number)
"""
