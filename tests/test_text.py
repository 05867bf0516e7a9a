"""Folding for search: case and accents ignored in every script."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.text import fold


def test_fold_examples() -> None:
    assert fold("Jürgen MÜLLER") == "jurgen muller"
    assert fold("Zoë") == "zoe"
    assert fold("Ελένη ΠΑΠΑΔΟΠΟΎΛΟΥ") == "ελενη παπαδοπουλου"
    assert fold("Дмитрий ИВАНОВ") == "дмитрии иванов"  # й folds with и, as in search engines
    assert fold("Søren Łukasz Straße") == "soren lukasz strasse"
    assert fold("  many   spaces\t") == "many spaces"
    assert fold("محمد") == "محمد"
    assert fold("王小明") == "王小明"


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
def test_fold_ignores_case(text: str) -> None:
    assert fold(text.upper()) == fold(fold(text).upper())
