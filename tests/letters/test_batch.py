"""Letters for many cases (app.letters.batch): the same letters as one at a time, in order,
whether built here or in worker processes; a case that cannot have its letter says why and
the batch goes on; the settings and template are read once; Cancel stops the workers.

PDF bytes are compared in reportlab's invariant mode (fixed creation time and document id),
set both here and, through RL_invariant, in the worker processes, which read it at start.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from reportlab import rl_config
from sqlalchemy import event

from app.domain import Cancelled, DomainError, RequestType
from app.letters import render_letter
from app.letters.batch import POOL_FROM, default_workers, render_letters
from app.letters.stages import Stage
from app.store import Store
from tests.conftest import TODAY
from tests.letters.conftest import LogCase, pdf_text

MISSING = 987_654


@pytest.fixture
def invariant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rl_config, "invariant", 1)
    monkeypatch.setenv("RL_invariant", "1")


@pytest.fixture
def case_ids(log_case: LogCase) -> list[int]:
    names = ["Zoë Adeyemi", "<b>Ann</b> & Co", "محمد عبد الله", "王小明 Wang", "Ana O'Neil"]
    kinds = [RequestType.ACCESS, RequestType.ERASURE]
    ids = [log_case(name=n, request_type=kinds[i % 2]).id for i, n in enumerate(names)]
    return [*ids[:2], MISSING, *ids[2:]]


def _one_at_a_time(store: Store, ids: list[int], stage: Stage) -> list[bytes | str]:
    out: list[bytes | str] = []
    for case_id in ids:
        try:
            out.append(render_letter(store, case_id, stage, today=TODAY))
        except DomainError as exc:
            out.append(str(exc))
    return out


def _batch(store: Store, ids: list[int], stage: Stage, **options: Any) -> list[bytes | str]:
    results = list(render_letters(store, ids, stage, today=TODAY, **options))
    assert [r.case_id for r in results] == ids
    return [r.letter.pdf if r.letter else str(r.problem) for r in results]


@pytest.mark.usefixtures("invariant")
@pytest.mark.parametrize("workers", [1, 2], ids=["in-process", "two-workers"])
def test_a_batch_gives_the_same_letters_in_the_same_order(
    org_store: Store, case_ids: list[int], workers: int
) -> None:
    expected = _one_at_a_time(org_store, case_ids, Stage.ACKNOWLEDGEMENT)
    assert expected[2] == f"There is no case with id {MISSING}."
    assert sum(isinstance(x, bytes) for x in expected) == len(case_ids) - 1
    assert _batch(org_store, case_ids, Stage.ACKNOWLEDGEMENT, workers=workers) == expected
    assert "王小明 Wang" in pdf_text(expected[-2])  # type: ignore[arg-type]


@pytest.mark.usefixtures("invariant")
def test_the_outcome_stage_resolves_per_case_and_refusals_name_the_case_s_problem(
    org_store: Store, case_ids: list[int]
) -> None:
    """Open cases have no outcome yet: each says so, as render_letter would, and the batch
    carries on to the next case."""
    expected = _one_at_a_time(org_store, case_ids, Stage.OUTCOME)
    assert all(isinstance(x, str) for x in expected)
    assert _batch(org_store, case_ids, Stage.OUTCOME, workers=1) == expected


def test_a_batch_reads_settings_and_template_once_and_its_cases_a_chunk_at_a_time(
    org_store: Store, log_case: LogCase
) -> None:
    ids = [log_case(name=f"Requester {n}").id for n in range(6)]
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(org_store.engine, "before_cursor_execute", seen)
    try:
        results = list(render_letters(org_store, ids, Stage.ACKNOWLEDGEMENT, workers=1))
    finally:
        event.remove(org_store.engine, "before_cursor_execute", seen)
    assert all(r.letter is not None for r in results)
    assert sum("FROM settings" in s for s in statements) == 1
    assert sum("FROM letter_templates" in s for s in statements) == 1
    assert sum("FROM cases" in s for s in statements) == 1  # the chunk's cases at once
    assert sum("FROM requesters" in s for s in statements) == 1
    assert sum("FROM case_events" in s for s in statements) == 1


def test_cancel_stops_the_batch_and_its_workers(org_store: Store, log_case: LogCase) -> None:
    ids = [log_case(name=f"Requester {n}").id for n in range(4)] * 10
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 3

    made: Iterator[Any] = render_letters(
        org_store, ids, Stage.ACKNOWLEDGEMENT, today=TODAY, progress=progress, workers=2
    )
    got = []
    with pytest.raises(Cancelled):
        for result in made:
            got.append(result)
    assert len(got) == 3 and seen[-1] == (3, len(ids))
    assert multiprocessing.active_children() == []


def test_workers_only_for_a_large_batch_and_only_on_idle_cores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a machine already busy, workers would only add their start and the copying."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    for load, workers in ((0.2, 4), (1.5, 3), (3.5, 1), (9.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, load, load))
        assert default_workers(POOL_FROM) == workers, load
        assert default_workers(POOL_FROM - 1) == 1
    monkeypatch.delattr(os, "getloadavg")  # as on Windows
    assert default_workers(POOL_FROM) == 4
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert default_workers(10 * POOL_FROM) == 1
