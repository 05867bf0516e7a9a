"""A logo is decoded in full before it is accepted, and a letter that cannot draw a logo kept
by an older version says why (issue 9 point 7). Before, only the PNG header was read: a
truncated file was accepted, and then every letter failed with a bare OSError."""

from __future__ import annotations

import dataclasses
import io

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from app.domain import DomainError, RequestType
from app.letters import render_letter
from app.letters.logo import logo_problem
from app.letters.stages import Stage
from app.settings import load_settings, save_settings
from app.store import Store
from tests.letters.conftest import LogCase


def _image(kind: str) -> bytes:
    buffer = io.BytesIO()
    picture = Image.new("RGB", (300, 120), (180, 20, 40))
    for x in range(0, 300, 7):  # some detail, so the compressed data is not trivial
        picture.putpixel((x, x % 120), (255, 255, 255))
    picture.save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_whole_image_is_accepted(kind: str) -> None:
    assert logo_problem(_image(kind)) is None


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_a_truncated_image_is_refused(kind: str) -> None:
    whole = _image(kind)
    problem = logo_problem(whole[: len(whole) * 2 // 3])
    assert problem is not None and "could not be read in full" in problem


def test_a_stored_damaged_logo_is_named_when_a_letter_is_made(
    org_store: Store, log_case: LogCase
) -> None:
    case = log_case(request_type=RequestType.ACCESS)
    whole = _image("PNG")
    damaged = whole[: len(whole) // 2]  # as an older version let it be kept
    save_settings(org_store, dataclasses.replace(load_settings(org_store), logo=damaged))
    with pytest.raises(DomainError) as caught:
        render_letter(org_store, case.id, Stage.ACKNOWLEDGEMENT)
    assert "letterhead logo" in str(caught.value)
    assert "Organisation settings" in str(caught.value)


def test_the_letter_dialog_says_why_instead_of_failing_silently(
    qtbot: QtBot, org_store: Store, log_case: LogCase
) -> None:
    from ui.letter_dialog import LetterDialog
    from ui.signals import StoreSignals

    case = log_case(request_type=RequestType.ACCESS)
    whole = _image("PNG")
    save_settings(org_store, dataclasses.replace(load_settings(org_store), logo=whole[:300]))
    dialog = LetterDialog(org_store, case.id, StoreSignals(), today=None)
    qtbot.addWidget(dialog)
    assert dialog.preview.stack.currentWidget() is dialog.preview.message
    assert "letterhead logo" in dialog.preview.message.text()
    assert not dialog.save_button.isEnabled()
