"""The words of a disclosure: what is decided for each item, the exemptions a DPO may rely
on to withhold, and the limits that keep a hostile file from taking the desk down.

Exemptions cite the Data Protection Act 2018 (DPA) paragraph they rely on, as the ICO's
guidance on exemptions does. "Outside the request" is not an exemption but the most common
reason an item collected in a search is not sent: it is not the requester's personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import DomainError


class Decision(StrEnum):
    DISCLOSE = "disclose"
    DISCLOSE_REDACTED = "disclose_redacted"
    WITHHOLD = "withhold"

    @property
    def label(self) -> str:
        return {
            Decision.DISCLOSE: "Disclose",
            Decision.DISCLOSE_REDACTED: "Disclose redacted",
            Decision.WITHHOLD: "Withhold",
        }[self]


@dataclass(frozen=True, slots=True)
class Exemption:
    key: str
    label: str
    citation: str

    @property
    def text(self) -> str:
        return f"{self.label} ({self.citation})"


EXEMPTIONS: tuple[Exemption, ...] = (
    Exemption(
        "third_party",
        "Third-party personal data",
        "UK GDPR Art. 15(4); DPA 2018 Sch. 2 para 16",
    ),
    Exemption("legal_privilege", "Legal professional privilege", "DPA 2018 Sch. 2 para 19"),
    Exemption("management_forecasting", "Management forecasting", "DPA 2018 Sch. 2 para 22"),
    Exemption("negotiations", "Negotiations with the requester", "DPA 2018 Sch. 2 para 23"),
    Exemption("confidential_references", "Confidential references", "DPA 2018 Sch. 2 para 24"),
    Exemption("self_incrimination", "Self-incrimination", "DPA 2018 Sch. 2 para 20"),
    Exemption("corporate_finance", "Corporate finance", "DPA 2018 Sch. 2 para 21"),
    Exemption("crime_taxation", "Crime and taxation", "DPA 2018 Sch. 2 para 2"),
    Exemption(
        "serious_harm",
        "Serious harm (health, social work or education data)",
        "DPA 2018 Sch. 3",
    ),
    Exemption(
        "outside_request",
        "Outside the request (not the requester's personal data)",
        "UK GDPR Art. 15(1)",
    ),
)
_BY_KEY = {e.key: e for e in EXEMPTIONS}


def exemption(key: str) -> Exemption:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise DomainError(f"There is no exemption {key!r} in the list.") from None


# Reasons offered for a redaction; the DPO may type another.
REDACTION_REASONS: tuple[str, ...] = (
    "Third-party personal data (DPA 2018 Sch. 2 para 16)",
    "Legal professional privilege (DPA 2018 Sch. 2 para 19)",
    "Confidential reference (DPA 2018 Sch. 2 para 24)",
    "Not the requester's personal data",
)


class ItemKind(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    TEXT = "text"
    EMAIL = "email"
    CSV = "csv"
    DOCX = "docx"

    @property
    def label(self) -> str:
        return {
            ItemKind.PDF: "PDF",
            ItemKind.IMAGE: "Image",
            ItemKind.TEXT: "Text",
            ItemKind.EMAIL: "Email",
            ItemKind.CSV: "Table (CSV)",
            ItemKind.DOCX: "Word document",
        }[self]


# Limits. A file beyond them is refused with a message saying which and why; nothing is kept.
MAX_ITEM_PAGES = 150  # one item the DPO can review page by page; split longer exports
MAX_IMAGE_PIXELS = 60_000_000  # e.g. 9,000 x 6,600: a 600 dpi A4 scan is 35 MP
MAX_IMAGE_SIDE = 20_000
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024  # what a .docx may unpack to
MAX_ZIP_MEMBERS = 5_000
MAX_TABLE_CELLS = 200_000
MAX_TEXT_CHARS = 2_000_000
RENDER_DPI = 150  # a redacted page is burned in as an image at this resolution
