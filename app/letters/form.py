"""The organisation's request form, sent with the identity request as a further page.

Printed boxes to write in, and the same boxes as PDF form fields, so the requester can fill
it in on screen or on paper. The labels are fixed text (not a template): the form asks for
what the DPO needs to find and verify the person, nothing more.

The form is optional, as the letter says: a request is valid however it is made, and the ICO
says a controller cannot insist on its own form. Its tick list of proofs is the documents
the DPO chose for this case, so form and letter ask for the same things.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer, Table, TableStyle

from app.letters.layout import BODY_WIDTH, paragraph, styles
from app.letters.markup import REGULAR

FIELDS: tuple[tuple[str, str, float], ...] = (
    ("full_name", "Full name", 9),
    ("previous_names", "Any previous names", 9),
    ("address", "Current address and postcode", 20),
    ("previous_addresses", "Previous addresses in the last three years", 20),
    ("date_of_birth", "Date of birth", 9),
    ("email", "Email address", 9),
    ("phone", "Phone number", 9),
    ("relationship", "Your relationship with us (customer, employee, supplier, other)", 9),
    (
        "details",
        "What information are you asking for? Dates, systems or people involved "
        "help us find it quickly.",
        32,
    ),
)
LABEL_WIDTH = 58 * mm


class FormField(Flowable):
    """A box to write in, that is also a fillable PDF text field."""

    def __init__(self, name: str, width: float, height: float) -> None:
        super().__init__()
        self.name, self.width, self.height = name, width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.canv.acroForm.textfield(
            name=self.name,
            x=x,
            y=y,
            width=self.width,
            height=self.height,
            fontName="Helvetica",
            fontSize=10,
            borderWidth=0.5,
            borderColor=colors.HexColor("#777777"),
            fillColor=colors.white,
            textColor=colors.black,
            forceBorder=True,
            relative=False,
            fieldFlags="multiline" if self.height > 12 * mm else "",
        )


def request_form(reference: str, org_name: str, proofs: list[str]) -> list[Flowable]:
    """The form page(s): `reference`, `org_name` and `proofs` (the documents asked for in
    the letter) are escaped markup."""
    style = styles()
    field_width = BODY_WIDTH - LABEL_WIDTH - 4 * mm
    rows = [
        [Paragraph(label, style.meta), FormField(f"form_{key}", field_width, height * mm)]
        for key, label, height in FIELDS
    ]
    table = Table(rows, colWidths=[LABEL_WIDTH + 4 * mm, field_width])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ]
        )
    )
    ticks = [Paragraph(f"☐&nbsp;&nbsp;{text}", style.meta) for text in proofs]
    return [
        PageBreak(),
        paragraph(f"{org_name}: request form", style.subject),
        Paragraph(
            f"Our reference: {reference}. Using this form is optional: it helps us find the "
            "information you asked about quickly. If you use it, fill it in on screen or by "
            "hand and return it with what our letter asks for. We use it only to find and "
            "verify the information you asked about.",
            style.body,
        ),
        Spacer(1, 2 * mm),
        table,
        Paragraph("<b>Enclosed, as our letter asks</b> (tick)", style.meta),
        Spacer(1, 1.5 * mm),
        *ticks,
        Spacer(1, 8 * mm),
        Paragraph(
            "Signature ______________________________&nbsp;&nbsp;&nbsp;&nbsp;"
            "Date ____________________",
            style.body,
        ),
    ]
