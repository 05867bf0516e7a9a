"""The store's schema: Alembic's migrations, which build and upgrade a desk's store file and
a team server's database alike.

Alembic (and Mako behind it) is imported here, and only when a store is behind the latest
revision or its revisions must be listed: a start on an up-to-date store never loads it
(issue 14; app.store reads the revision with sqlite3 first).
"""

from __future__ import annotations

from importlib.resources import files
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    from sqlalchemy import Engine

    from app.integrity.keys import KeyStore


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("app") / "migrations"))
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


def known_revisions() -> set[str]:
    """Every revision this version knows (a store at one it does not is from a newer one)."""
    return {script.revision for script in script_directory().walk_revisions()}


def upgrade(engine: Engine, keys: KeyStore) -> None:
    """Run the migrations up to the latest on `engine` (the caller has taken a backup)."""
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        config.attributes["chain_keys"] = keys  # the chain's migration makes the store's key
        command.upgrade(config, "head")
        connection.commit()
