"""Help ▸ How deadlines are counted: the rules of app.deadlines in words, each citing the
law it rests on and saying where the law leaves room and the desk follows the ICO's
published reading (DESIGN.md section 3; the brief: "when the law is ambiguous, follow the
ICO's published reading and say so in the help").

Every worked example is computed by app.deadlines when the help is built, never typed, so
the help cannot drift from the dates the desk shows. Plain text only: the dialog escapes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.deadlines import (
    DEFAULT_PROMISE_DAYS,
    DEFAULT_REGION,
    REGION_LABELS,
    Clock,
    add_months,
    case_deadlines,
    notice_in_time,
    opt_out_target,
    paused_days,
    promised_deadline,
    statutory_deadline,
)
from app.formatting import uk_date

ICO_GUIDANCE = 'ICO guidance "Time limits for responding to data protection rights requests"'


@dataclass(frozen=True, slots=True)
class HelpSection:
    title: str
    cites: str  # the law (and guidance) the section rests on
    paragraphs: tuple[str, ...]
    ico_reading: str = ""  # where the law is open and the desk follows the ICO, and how


def deadline_help(
    region: str = DEFAULT_REGION, promise_days: int = DEFAULT_PROMISE_DAYS
) -> list[HelpSection]:
    """The help for this organisation's region and promise, examples worked by the engine."""
    where = REGION_LABELS.get(region, region)
    sep3, sep7 = date(2026, 9, 3), date(2026, 9, 7)
    mar31 = date(2026, 3, 31)
    sep10 = date(2026, 9, 10)
    one_pause = case_deadlines(
        Clock(start=sep3, pauses=(paused_days(sep10, sep10),), region=region)
    )
    easter = case_deadlines(
        Clock(
            start=date(2027, 2, 26),
            pauses=(paused_days(date(2027, 3, 1), date(2027, 3, 4)),),
            region=region,
        )
    )
    open_pause = Clock(start=date(2026, 3, 2), paused_since=date(2026, 3, 30), region=region)
    in_time = "in time" if notice_in_time(open_pause, date(2026, 4, 6)) else "too late"
    return [
        HelpSection(
            "The statutory deadline: one calendar month",
            f"UK GDPR Article 12(3); {ICO_GUIDANCE}",
            (
                "A request is answered without undue delay and at the latest within one month "
                "of receipt. The month runs from the day the request arrives, working day or "
                "not, to the corresponding date of the next month: received "
                f"{uk_date(sep7)}, due {uk_date(statutory_deadline(sep7, region=region))}.",
                "When the next month has no corresponding date, the month's last day: received "
                f"{uk_date(mar31)}, due {uk_date(statutory_deadline(mar31, region=region))}.",
                "When that date is a weekend or a bank holiday, the deadline is the next "
                f"working day: received {uk_date(sep3)}, the corresponding date is "
                f"{uk_date(add_months(sep3, 1))}, so due "
                f"{uk_date(statutory_deadline(sep3, region=region))}. Bank holidays are those "
                f"of {where} (Settings).",
            ),
            ico_reading=(
                'The Article says only "one month of receipt". The desk follows the ICO\'s '
                "reading: the day of receipt is day one and the month ends on the corresponding "
                'date (a strict reading of "one month beginning with" would end a day '
                "earlier), the month's last day when there is none, and the next working day "
                "when that date is a weekend or bank holiday."
            ),
        ),
        HelpSection(
            f"Our promise: {promise_days} days",
            "Our privacy policy (not the law); UK GDPR Article 12(3) still sets the limit",
            (
                f"The policy promises a reply within {promise_days} days. A promise cannot be "
                "kept on a Saturday, so when its last day is a weekend or bank holiday it is "
                f"kept on the previous working day: received {uk_date(sep3)}, promised by "
                f"{uk_date(promised_deadline(sep3, days=promise_days, region=region))}.",
                "The date the desk works to is the earlier of the statutory date and the "
                "promise; both are shown. A case past the promise with the statutory date still "
                'ahead is "past our promise"; only a case past the statutory date is overdue.',
                "After an extension the requester has been given the extended date, and that "
                "date is the promise too.",
            ),
            ico_reading=(
                "The ICO notes that a 28-day period always falls within a calendar month; the "
                "number of days is a setting."
            ),
        ),
        HelpSection(
            "Identity and fees: the relevant time",
            "UK GDPR Article 12(6) and Article 12A (inserted by the Data (Use and Access) "
            "Act 2025)",
            (
                "Where there are reasonable doubts about who is asking, the controller may ask "
                "for the information needed to confirm it (Article 12(6)), and only what is "
                "proportionate. The period then runs from the relevant time: the latest of the "
                "day the request arrived, the day the identity information arrived and the day "
                "a fee was paid (Article 12A). The whole month is counted again from that day.",
            ),
        ),
        HelpSection(
            "Stopping the clock for clarification",
            "UK GDPR Article 12A (Data (Use and Access) Act 2025)",
            (
                "Where the controller reasonably needs the requester to say what information or "
                "processing the request is about, the clock stops from the day it asks until "
                "the day the answer arrives. The desk counts both of those days as stopped: "
                "each pause adds (answer day − asking day + 1) days.",
                "Every deadline is its unadjusted date (the corresponding date, the three-month "
                "date or the promise's last day) plus all paused days, and only then moved to a "
                "working day, once. Received "
                f"{uk_date(sep3)}, asked and answered on {uk_date(sep10)}: 1 "
                f"day, due {uk_date(one_pause.statutory)} (moving to Monday first and adding "
                "after would count the weekend twice). Received "
                f"{uk_date(date(2027, 2, 26))}, paused {uk_date(date(2027, 3, 1))} to "
                f"{uk_date(date(2027, 3, 4))}: due {uk_date(easter.statutory)}.",
                "While a pause is open nothing is due: the case shows the date as it stood "
                "before the pause, and the date moves later when the answer arrives.",
            ),
        ),
        HelpSection(
            "Extensions and the notice",
            "UK GDPR Article 12(3); Article 12A",
            (
                "A complex request, or a number of requests from the same person, may be "
                "extended by up to two further months: three calendar months from the relevant "
                "time, plus paused days, moved to a working day once. The requester must be "
                "told of the extension and the reason within the first month.",
                "Paused days do not count towards that month either, and while a pause is open "
                "the clock is stopped: received "
                f"{uk_date(open_pause.start)}, paused {uk_date(date(2026, 3, 30))} and still "
                f"open, an extension on {uk_date(date(2026, 4, 6))} is {in_time}.",
                "The case shows by when the extension notice must reach the requester until "
                "the notice letter is emailed or marked as posted. An extension or a notice "
                "dated after that day, or before the last step on the record, is refused.",
            ),
        ),
        HelpSection(
            "Marketing opt-outs",
            "UK GDPR Article 21(2) and (3); the Privacy and Electronic Communications "
            "Regulations (PECR)",
            (
                "The right to object to direct marketing is absolute: no refusal, no partial "
                "answer, no identity check, no clarification and no extension. The desk's "
                "target is the next working day (received "
                f"{uk_date(date(2026, 11, 20))}: by "
                f"{uk_date(opt_out_target(date(2026, 11, 20), region=region))}); the month "
                "still applies on paper. Closing it as fulfilled adds the contact to the "
                "suppression list, so they are never contacted again.",
            ),
        ),
        HelpSection(
            "Manifestly unfounded or excessive requests",
            "UK GDPR Article 12(5) and 12(4)",
            (
                "Such a request may be refused, or a reasonable fee charged, within the same "
                "period, with the reasons and the requester's right to complain to the ICO and "
                "to seek a remedy in the courts.",
            ),
        ),
    ]


def deadline_help_text(
    region: str = DEFAULT_REGION, promise_days: int = DEFAULT_PROMISE_DAYS
) -> str:
    """The help as plain text (for a search, a copy, or a screen reader)."""
    out = []
    for section in deadline_help(region, promise_days):
        out += [section.title, f"({section.cites})", *section.paragraphs]
        if section.ico_reading:
            out.append(f"Following the ICO: {section.ico_reading}")
        out.append("")
    return "\n".join(out).strip()


def date_tips(promise_days: int = DEFAULT_PROMISE_DAYS) -> dict[str, str]:
    """Short help on each date a case shows (its tooltip), citing the law, naming the ICO's
    reading where the desk follows it, and pointing to the full help (F1)."""
    more = " Help ▸ How deadlines are counted (F1) says more."
    return {
        "statutory": "The law's deadline: one calendar month from receipt to the corresponding "
        "date (the month's last day when there is none), plus clarification pauses, then the "
        "next working day (UK GDPR Article 12(3) and 12A; counted as the ICO reads it)." + more,
        "promised": f"Our policy's {promise_days} days plus clarification pauses, kept on the "
        "previous working day when the last day is a weekend or bank holiday. Not the law: "
        "past it with the statutory date ahead is past our promise, not overdue." + more,
        "target": "A marketing opt-out is absolute (UK GDPR Article 21(3)) and actioned at "
        "once: the target is the next working day; the month still applies on paper." + more,
        "extended": "Extended by up to two further months for a complex request or several "
        "requests (UK GDPR Article 12(3)), plus clarification pauses, then the next working "
        "day." + more,
        "notice": "Notice of an extension, with its reason, must reach the requester within "
        "the first month (UK GDPR Article 12(3)); paused days do not count towards it, and "
        "an open pause stops it (Article 12A)." + more,
    }
