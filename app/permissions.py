"""What a member may do: the names the window asks about before offering an action.

A desk's store allows everything unless it is read-only; a team server's store allows what
the member's role allows (app.team.roles), and the server enforces the same itself.
"""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    WORK_ON_CASES = "work on cases"  # log, change, letters, searches, disclosure
    CHANGE_SETTINGS = "change settings"  # settings, templates, the systems register, mail
    ERASE = "erase"  # retention and erasure
    VERIFY = "verify"  # Verify records, Export case file (needs the chain key)
