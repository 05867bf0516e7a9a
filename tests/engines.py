"""Which engine the suite runs on: DSAR_TEST_ENGINE=sqlite (the default) or postgresql.

On PostgreSQL (`.ci/run` starts a throw-away cluster and sets DSAR_TEST_PG_URL to its
superuser's address), the session sets up one template database with `dsar-desk team init`
as a non-superuser owner, and three members: a DPO, a caseworker and a viewer. Each test that
asks for a store gets a fresh database copied from the template (CREATE DATABASE … TEMPLATE,
a file copy: tens of milliseconds), connected as the DPO unless it asks for another role,
and dropped afterwards.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass

ENGINE = os.environ.get("DSAR_TEST_ENGINE", "sqlite").lower()
ON_SERVER = ENGINE == "postgresql"
OWNER = "dsar_owner"
TEMPLATE = "dsar_test_template"
PASSWORD = "team-test-pw"  # a throw-away cluster's, on loopback only
MEMBERS = {
    "dsar_dpo": "dana_dpo",
    "dsar_caseworker": "carl_caseworker",
    "dsar_viewer": "vera_viewer",
}
_numbers = itertools.count(1)


@dataclass(frozen=True)
class Cluster:
    superuser_url: str

    @property
    def _address(self):  # type: ignore[no-untyped-def]
        from app.team.address import parse_address

        return parse_address(self.superuser_url)

    def url(self, database: str, role: str = "dsar_dpo") -> str:
        """The address of `database` as a member of `role` (a group: dsar_dpo …), or as the
        owner (`role="owner"`) or the superuser (`role="superuser"`)."""
        address = self._address
        if role == "superuser":
            name, password = address.role, address.password
        elif role == "owner":
            name, password = OWNER, PASSWORD
        else:
            name, password = MEMBERS.get(role, role), PASSWORD
        return f"postgresql://{name}:{password}@{address.host}:{address.port}/{database}"

    def admin(self):  # type: ignore[no-untyped-def]
        from sqlalchemy import create_engine

        return create_engine(
            self._address.url(), isolation_level="AUTOCOMMIT", connect_args={"ssl_context": False}
        )

    def prepare(self) -> None:
        """Roles and the template database, made afresh for this run."""
        from sqlalchemy import text

        from app.team.roles import TeamRole, add_member
        from app.team.setup import init_team

        engine = self.admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)")
                exists = c.execute(
                    text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": OWNER}
                ).scalar()
                if not exists:
                    c.exec_driver_sql(f"CREATE ROLE {OWNER} LOGIN CREATEROLE")
                c.exec_driver_sql(f"ALTER ROLE {OWNER} PASSWORD '{PASSWORD}'")
                c.exec_driver_sql(f"CREATE DATABASE {TEMPLATE} OWNER {OWNER}")
            init_team(self.url(TEMPLATE, "owner"))
            with engine.connect() as c:
                for group, member in MEMBERS.items():
                    exists = c.execute(
                        text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": member}
                    ).scalar()
                    if not exists:
                        add_member(c, member, PASSWORD, TeamRole(group))
                    c.exec_driver_sql(f"ALTER ROLE {member} PASSWORD '{PASSWORD}'")
        finally:
            engine.dispose()

    def new_database(self) -> str:
        name = f"dsar_t{os.getpid()}_{next(_numbers)}"
        engine = self.admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql(
                    f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} OWNER {OWNER} STRATEGY WAL_LOG"
                )
        finally:
            engine.dispose()
        return name

    def drop_database(self, name: str) -> None:
        engine = self.admin()
        try:
            with engine.connect() as c:
                c.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        finally:
            engine.dispose()


def cluster_from_environment() -> Cluster:
    url = os.environ.get("DSAR_TEST_PG_URL", "")
    if not url:
        raise RuntimeError(
            "DSAR_TEST_ENGINE=postgresql needs DSAR_TEST_PG_URL, the superuser address of a "
            "throw-away cluster (scripts/pg-test-cluster start FOLDER PORT prints it)."
        )
    return Cluster(url)


def fresh_databases(cluster: Cluster) -> Iterator[str]:
    """Databases copied from the template, dropped when the generator is closed."""
    made: list[str] = []
    try:
        while True:
            made.append(cluster.new_database())
            yield made[-1]
    finally:
        for name in made:
            cluster.drop_database(name)
