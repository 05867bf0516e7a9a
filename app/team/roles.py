"""The team's three roles, enforced by the server (issue 15 point 2).

- `dsar_dpo`: everything, including settings, templates, the systems register, retention
  and erasure, and reading the chain key (Verify records, Export case file).
- `dsar_caseworker`: cases, letters, searches and disclosure; not settings, retention or
  erasure. Granted column by column where a table holds both (a case's `erased_on`).
- `dsar_viewer`: reads everything but the chain key; changes nothing.

Each member logs in as their own role, made a member of one group (`add_member`); the groups
nest (dsar_dpo ⊃ dsar_caseworker ⊃ dsar_viewer). The grants are written out per table here
and applied whole by `dsar-desk team init` (again after every upgrade), so a table a later
version adds is refused to everyone until this policy names it (tests/team checks that
every table is named). Row-level security is used where a table is shared by roles with
different rights over its rows: `settings`, where a caseworker's desk may note only that the
day's reminders were done (`notify.last_…`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy import Connection, text

from app.models import Base
from app.permissions import Capability

DPO = "dsar_dpo"
CASEWORKER = "dsar_caseworker"
VIEWER = "dsar_viewer"
GROUPS = (VIEWER, CASEWORKER, DPO)


class TeamRole(Enum):
    DPO = DPO
    CASEWORKER = CASEWORKER
    VIEWER = VIEWER

    @property
    def label(self) -> str:
        return {"dsar_dpo": "DPO", "dsar_caseworker": "caseworker", "dsar_viewer": "viewer"}[
            self.value
        ]

    @property
    def read_only_reason(self) -> str:
        return (
            "You are connected to the team server as a viewer (dsar_viewer): you can read "
            "every case but change nothing. Ask the DPO if you need to work on cases."
        )

    def denies(self, capability: Capability) -> str:
        """'' when the role may; else why not, for the window."""
        if self is TeamRole.DPO:
            return ""
        if self is TeamRole.VIEWER:
            return self.read_only_reason
        if capability is Capability.WORK_ON_CASES:
            return ""
        what = {
            Capability.CHANGE_SETTINGS: "change settings, letter templates or the systems register",
            Capability.ERASE: "apply the retention policy or erase a case",
            Capability.VERIFY: "verify the records or export a case file (only the DPO's "
            "role may read the verification key)",
        }[capability]
        return f"Your team role is caseworker (dsar_caseworker): only the DPO may {what}."


def role_of(connection: Connection) -> TeamRole | None:
    """The connected member's highest group, or None when they are in none of them."""
    row = connection.execute(
        text(
            "SELECT pg_has_role(session_user, 'dsar_dpo', 'USAGE'), "
            "pg_has_role(session_user, 'dsar_caseworker', 'USAGE'), "
            "pg_has_role(session_user, 'dsar_viewer', 'USAGE')"
        )
    ).one()
    for member, role in zip(row, (TeamRole.DPO, TeamRole.CASEWORKER, TeamRole.VIEWER), strict=True):
        if member:
            return role
    return None


# ---------------------------------------------------------------------------------------
# The policy: what each group may do to each table (beyond what the group below it may).


@dataclass(frozen=True)
class TablePolicy:
    caseworker: tuple[str, ...] = ()  # INSERT, UPDATE, DELETE
    dpo: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")
    viewer_reads: bool = True


CASE_WORK = ("INSERT", "UPDATE")
POLICY: dict[str, TablePolicy] = {
    "requesters": TablePolicy(CASE_WORK),
    "reference_counters": TablePolicy(CASE_WORK),
    "cases": TablePolicy(("INSERT",)),  # UPDATE by column: see CASEWORKER_NEVER_UPDATES
    "case_events": TablePolicy(("INSERT",), dpo=("INSERT", "UPDATE")),  # UPDATE = erasure
    "tasks": TablePolicy((*CASE_WORK, "DELETE")),
    "letters": TablePolicy(CASE_WORK),
    "letter_templates": TablePolicy(),
    "attachments": TablePolicy(CASE_WORK),
    "suppressions": TablePolicy(("INSERT",)),
    "settings": TablePolicy(("INSERT",)),  # UPDATE of `value` only; rows: row security
    "disclosure_items": TablePolicy(CASE_WORK),
    "redactions": TablePolicy(CASE_WORK),
    "disclosure_sets": TablePolicy(CASE_WORK),
    "disclosure_bundles": TablePolicy(CASE_WORK),
    "systems": TablePolicy(),
    "system_changes": TablePolicy(),
    "search_tasks": TablePolicy((*CASE_WORK, "DELETE")),
    "search_material": TablePolicy((*CASE_WORK, "DELETE")),
    "alembic_version": TablePolicy(dpo=()),
}
# Columns a caseworker may never set: marking a case erased is the retention policy's, and a
# setting's key is what row security decides on.
CASEWORKER_NEVER_UPDATES = {"cases": ("erased_on",), "settings": ("key",)}
# What the server's chain trigger keeps to itself.
CHAIN_TABLES = ("chain_key", "chain_tail")
DESK_MARKS = r"notify.last\_%"


def grant_statements(owner: str) -> list[str]:
    """Every GRANT, REVOKE and policy, from nothing: applied in one transaction."""
    tables = sorted(Base.metadata.tables)
    missing = set(tables) - set(POLICY)
    if missing:
        raise RuntimeError(f"No team policy for table(s): {', '.join(sorted(missing))}")
    statements = [f"REVOKE ALL ON {t} FROM PUBLIC, {', '.join(GROUPS)}" for t in POLICY]
    statements += [f"REVOKE ALL ON {t} FROM PUBLIC, {', '.join(GROUPS)}" for t in CHAIN_TABLES]
    statements += [f"GRANT SELECT ON {t} TO {VIEWER}" for t in POLICY]
    for table, policy in POLICY.items():
        if policy.caseworker:
            statements.append(f"GRANT {', '.join(policy.caseworker)} ON {table} TO {CASEWORKER}")
        if policy.dpo:
            statements.append(f"GRANT {', '.join(policy.dpo)} ON {table} TO {DPO}")
    for table, never in CASEWORKER_NEVER_UPDATES.items():
        columns = [c.name for c in Base.metadata.tables[table].columns if c.name not in never]
        statements.append(f"GRANT UPDATE ({', '.join(columns)}) ON {table} TO {CASEWORKER}")
    statements.append(f"GRANT SELECT ON chain_key TO {DPO}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CASEWORKER}")
    statements += [
        "ALTER TABLE settings ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS settings_read ON settings",
        "DROP POLICY IF EXISTS settings_dpo ON settings",
        "DROP POLICY IF EXISTS settings_desk_marks ON settings",
        "DROP POLICY IF EXISTS settings_desk_marks_change ON settings",
        f"CREATE POLICY settings_read ON settings FOR SELECT TO {VIEWER} USING (true)",
        f"CREATE POLICY settings_dpo ON settings FOR ALL TO {DPO} USING (true) WITH CHECK (true)",
        f"CREATE POLICY settings_desk_marks ON settings FOR INSERT TO {CASEWORKER} "
        f"WITH CHECK (key LIKE '{DESK_MARKS}')",
        # Every row is visible to the UPDATE (USING true), so changing any other setting is
        # refused with an error (WITH CHECK), not silently matched to no row.
        f"CREATE POLICY settings_desk_marks_change ON settings FOR UPDATE TO {CASEWORKER} "
        f"USING (true) WITH CHECK (key LIKE '{DESK_MARKS}')",
        "REVOKE ALL ON FUNCTION case_events_seal() FROM PUBLIC",
        f"ALTER FUNCTION case_events_seal() OWNER TO {owner}",
    ]
    return statements


def create_groups(connection: Connection) -> None:
    """The three group roles (no login), nested, if they are not there yet."""
    existing = set(
        connection.execute(
            text("SELECT rolname FROM pg_roles WHERE rolname = ANY(:names)"),
            {"names": list(GROUPS)},
        ).scalars()
    )
    for group in GROUPS:
        if group not in existing:
            connection.exec_driver_sql(f"CREATE ROLE {group} NOLOGIN")
    for inner, outer in ((VIEWER, CASEWORKER), (CASEWORKER, DPO)):
        connection.exec_driver_sql(f"GRANT {inner} TO {outer}")


def add_member(connection: Connection, name: str, password: str, role: TeamRole) -> None:
    """A login role for one member of the team, in one group. The statement is built by the
    server (format %I/%L), so neither the name nor the password can break out of it."""
    statement = connection.execute(
        text(
            "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE %I', "
            "CAST(:n AS text), CAST(:p AS text), CAST(:g AS text))"
        ),
        {"n": name, "p": password, "g": role.value},
    ).scalar_one()
    connection.exec_driver_sql(statement.replace("%", "%%"))
