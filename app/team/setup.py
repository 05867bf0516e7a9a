"""`dsar-desk team init URL`: set up (or upgrade) a database on a PostgreSQL server as the
team's store.

Run by whoever looks after the server, as the role that owns the database (it needs
CREATEROLE to make the three group roles; it need not be a superuser: pg_trgm and pgcrypto
are trusted extensions). It runs the same Alembic migrations a desk runs, then applies the
team's grants and row security (app.team.roles) whole. Running it again on a store of an
older version upgrades it; take a `pg_dump` first (README: Team mode).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, create_engine, text

from app.integrity.keys import KeyStore
from app.team.address import ServerAddress, parse_address
from app.team.roles import create_groups, grant_statements


@dataclass(frozen=True)
class InitReport:
    revision_before: str | None
    revision_after: str
    owner: str


def admin_engine(address: ServerAddress | str) -> Engine:
    if isinstance(address, str):
        address = parse_address(address)
    return create_engine(address.url(), connect_args=address.connect_args(), hide_parameters=True)


def init_team(location: str | ServerAddress) -> InitReport:
    """Create or upgrade the schema, the groups and the grants; idempotent."""
    from app.migrations import SCHEMA_HEAD
    from app.store_schema import upgrade

    engine = admin_engine(location)
    try:
        with engine.connect() as connection:
            encoding = connection.execute(text("SHOW server_encoding")).scalar()
            if str(encoding).upper() not in ("UTF8", "UTF-8"):
                raise RuntimeError(
                    "The database must use the UTF8 encoding (createdb -E UTF8): names in "
                    "any script must be stored as they are written."
                )
            owner = str(connection.execute(text("SELECT current_user")).scalar())
            exists = connection.execute(
                text("SELECT to_regclass('alembic_version') IS NOT NULL")
            ).scalar()
            before = (
                connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
                if exists
                else None
            )
            create_groups(connection)
            connection.commit()
        upgrade(engine, KeyStore.for_user())
        with engine.begin() as connection:
            for statement in grant_statements(owner):
                connection.exec_driver_sql(statement)
        return InitReport(before, SCHEMA_HEAD, owner)
    finally:
        engine.dispose()
