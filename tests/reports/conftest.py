"""The hand-worked store (tests/handworked.py), built once per test in tmp_path."""

from __future__ import annotations

import pytest

from app.store import Store
from tests import handworked


@pytest.fixture
def handworked_ids(store: Store) -> dict[str, int]:
    return handworked.build(store)
