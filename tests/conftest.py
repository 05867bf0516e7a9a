"""Shared fixtures: a real SQLite store in tmp_path, headless Qt."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.store import Store, open_store

TODAY = date(2026, 11, 25)
SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "dsar.sqlite"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    opened = open_store(store_path)
    yield opened
    opened.close()
