"""The server's sealing trigger (migration 0009) writes out the public detail keys of chain
format 1 as they were; they must be the ones app.integrity.chain seals a desk's events with,
or Verify records would disagree with the server about an event's body."""

from __future__ import annotations

from app.integrity.chain import PUBLIC_DETAIL_KEYS
from app.store_schema import script_directory


def test_the_server_seals_the_same_public_details_as_a_desk() -> None:
    migration = script_directory().get_revision("0009")
    assert migration is not None and migration.down_revision == "0008"
    written = migration.module.PUBLIC_DETAIL_KEYS
    assert len(written) == len(set(written))
    assert set(written) == set(PUBLIC_DETAIL_KEYS)
