"""The benchmark table: every figure issue 14 asks for, at each store size, with its bare
baseline from the same run, the ratio between them and whether the goal is met.

Benchmarks `record` figures as they measure them; tests/bench/conftest.py prints the table
at the end of the run (and writes it to `TABLE_FILE`), so the closing note quotes one run.
A goal is only reported, never asserted: timings belong in this table, not in pass/fail.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

TABLE_FILE = Path(tempfile.gettempdir()) / "dsar-desk-bench" / "last-table.txt"


@dataclass(frozen=True, slots=True)
class Goal:
    """At most `value` (in the figure's unit) and at most `ratio` times the baseline."""

    value: float | None = None
    ratio: float | None = None

    def met(self, value: float, ratio: float | None) -> bool | None:
        checks = []
        if self.value is not None:
            checks.append(value <= self.value)
        if self.ratio is not None and ratio is not None:
            checks.append(ratio <= self.ratio)
        return all(checks) if checks else None

    def __str__(self) -> str:
        parts = []
        if self.value is not None:
            parts.append(f"<= {self.value:g}")
        if self.ratio is not None:
            parts.append(f"<= {self.ratio:g}x")
        return " and ".join(parts) or "reported"


@dataclass(frozen=True, slots=True)
class Figure:
    measure: str
    cases: int
    value: float
    unit: str
    baseline: float | None
    baseline_is: str
    goal: Goal

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline == 0:
            return None
        return self.value / self.baseline


FIGURES: list[Figure] = []

# Issue 14's goals for the case list (on a desk, tests/bench/test_bench_desk.py; on a team
# server, tests/bench/team).
KEYSTROKE = Goal(value=20, ratio=0.5)
PAGE = Goal(value=30, ratio=5)


def record(
    measure: str,
    cases: int,
    value: float,
    *,
    unit: str = "ms",
    baseline: float | None = None,
    baseline_is: str = "",
    goal: Goal | None = None,
) -> Figure:
    """Keep one figure for the table (a later figure of the same measure and size replaces
    an earlier one, so re-running a single benchmark keeps the table whole)."""
    figure = Figure(measure, cases, value, unit, baseline, baseline_is, goal or Goal())
    FIGURES[:] = [f for f in FIGURES if (f.measure, f.cases) != (measure, cases)]
    FIGURES.append(figure)
    return figure


def table(figures: list[Figure]) -> str:
    """The figures by measure, one line per store size, in the order they were measured."""
    measures = list(dict.fromkeys(f.measure for f in figures))
    lines = [
        f"{'measure':62s} {'cases':>9s} {'desk':>12s} {'baseline':>12s} {'ratio':>7s} "
        f"{'goal':>18s}  {'met':4s} baseline is",
        "-" * 166,
    ]
    for measure in measures:
        for figure in sorted((f for f in figures if f.measure == measure), key=_by_cases):
            ratio = figure.ratio
            met = figure.goal.met(figure.value, ratio)
            lines.append(
                f"{figure.measure:62s} {figure.cases:>9,d} "
                f"{_amount(figure.value, figure.unit):>12s} "
                f"{_amount(figure.baseline, figure.unit):>12s} "
                f"{'' if ratio is None else f'{ratio:.2f}x':>7s} {figure.goal!s:>18s}  "
                f"{'' if met is None else ('yes' if met else 'NO'):4s} {figure.baseline_is}"
            )
    return "\n".join(lines)


def _by_cases(figure: Figure) -> int:
    return figure.cases


def _amount(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    return f"{value:,.1f} {unit}" if value < 10_000 else f"{value:,.0f} {unit}"
