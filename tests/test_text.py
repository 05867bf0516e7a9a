"""Folding for search: case and accents ignored in every script."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
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


@settings(max_examples=2000)
@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@settings(max_examples=2000)
@given(st.text())
@example("\u0345")  # a combining mark that case-folds to a letter
@example("\ua7f8")  # decomposes to "ħ", which folds further
def test_fold_ignores_case(text: str) -> None:
    assert fold(text.upper()) == fold(fold(text).upper())


@pytest.mark.slow
def test_every_single_character_folds_stably() -> None:
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        assert fold(fold(ch)) == fold(ch), hex(code)
        assert fold(ch.upper()) == fold(fold(ch).upper()), hex(code)
