"""Letters and attachments are checked against their SHA-256 every time they are read, so a
letter altered in the file (or rotted on disk) is never printed, emailed or opened as if it
were the one on the record."""

from __future__ import annotations

import hashlib

from app.domain import DomainError


class AlteredContent(DomainError):
    """Stored bytes no longer match the SHA-256 kept with them."""


def checked(content: bytes, sha256: str, what: str) -> bytes:
    """`content` if it matches `sha256`; else AlteredContent naming `what`."""
    if hashlib.sha256(content).hexdigest() != sha256:
        raise AlteredContent(
            f"The stored {what} does not match its fingerprint (SHA-256): it was altered or "
            "damaged after it was kept, so it is not used. Run File ▸ Verify records, and "
            "restore the store from a backup."
        )
    return content
