"""Systems register and per-case search record (issue 10).

Creates the register (`systems`, `system_changes`), the search tasks and the material they
produced, fills the register with the systems the organisation's privacy policy names, and
gives every case that is still open a search plan (one task per system relevant to its
type) with an event on its timeline saying so. Closed cases get no plan: their search was
done before the record existed, and inventing one would put words in the DPO's mouth.

The seeded systems are written out here, not imported from app code, so this migration
does the same thing forever.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import getpass
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ALL_TYPES = [
    "access",
    "rectification",
    "erasure",
    "restriction",
    "portability",
    "marketing_opt_out",
]
RIGHTS = ["access", "rectification", "erasure", "restriction", "portability"]
NO_PORTABILITY = ["access", "rectification", "erasure", "restriction"]

# The privacy policy's systems (DESIGN.md section 7). Text is a starting point for the DPO.
SYSTEMS: list[dict[str, object]] = [
    {
        "name": "CRM (marketing contacts)",
        "owner": "Marketing team",
        "data_held": "Name, business email address, business phone number, job function, "
        "company, marketing preferences and opt-outs",
        "purposes": "Marketing our services to business contacts; keeping opt-outs so we "
        "never contact someone again",
        "lawful_basis": "Legitimate interests (Art. 6(1)(f)); consent where PECR requires it",
        "recipients": "",
        "retention": "Two years after the last contact; opt-outs kept as a suppression entry "
        "for as long as suppression is needed",
        "identifiers": ["name", "email", "phone"],
        "how_to_search": "Contacts search by email address, then by name and company",
        "request_types": ALL_TYPES,
        "how_to_erase": "Delete the contact; for a marketing opt-out, mark it 'Do not "
        "contact' (suppressed, not deleted)",
        "how_to_correct": "Edit the contact record",
    },
    {
        "name": "Client service records",
        "owner": "Service delivery team",
        "data_held": "Names and business contact details of client staff, support tickets, "
        "service history, site visit notes",
        "purposes": "Providing the IT services in our contracts; handling support requests",
        "lawful_basis": "Contract (Art. 6(1)(b)); legitimate interests (Art. 6(1)(f)) for "
        "client staff",
        "recipients": "",
        "retention": "Six years after the end of the contract",
        "identifiers": ["name", "email", "phone", "account"],
        "how_to_search": "Service desk: search tickets and contacts by email, name and "
        "client account number",
        "request_types": RIGHTS,
        "how_to_erase": "Anonymise the contact on closed tickets; delete the contact",
        "how_to_correct": "Edit the contact; add a note on affected tickets",
    },
    {
        "name": "Email (mailboxes)",
        "owner": "IT team",
        "data_held": "Emails and attachments sent to or from staff mailboxes and shared mailboxes",
        "purposes": "Communicating with clients, suppliers and candidates",
        "lawful_basis": "Legitimate interests (Art. 6(1)(f)); contract (Art. 6(1)(b))",
        "recipients": "",
        "retention": "Two years, unless filed with a client or HR record",
        "identifiers": ["name", "email"],
        "how_to_search": "Content search across all mailboxes for the email address and "
        "name, over the period asked for",
        "request_types": NO_PORTABILITY,
        "how_to_erase": "Delete the found messages from the mailboxes and their recoverable items",
        "how_to_correct": "Reply with the correction filed in the same thread",
    },
    {
        "name": "Telephone system",
        "owner": "IT team",
        "data_held": "Call logs (numbers, times, durations), voicemail, call recordings",
        "purposes": "Handling calls; training and quality of service",
        "lawful_basis": "Legitimate interests (Art. 6(1)(f))",
        "recipients": "",
        "retention": "Call recordings 90 days; call logs 12 months",
        "identifiers": ["phone"],
        "how_to_search": "Call log and recordings search by phone number and date",
        "request_types": NO_PORTABILITY,
        "how_to_erase": "Delete the recordings and voicemail; call logs roll off after 12 months",
        "how_to_correct": "Not applicable: logs record what happened",
    },
    {
        "name": "Finance and invoicing",
        "owner": "Finance team",
        "data_held": "Names, billing addresses, invoices, payments, purchase orders",
        "purposes": "Billing and collecting payment; keeping accounts; meeting tax law",
        "lawful_basis": "Contract (Art. 6(1)(b)); legal obligation (Art. 6(1)(c))",
        "recipients": "HMRC; our external accountants",
        "retention": "Six years after the end of the financial year (tax and company law)",
        "identifiers": ["name", "email", "account"],
        "how_to_search": "Accounts package: customer and supplier search by name, email and "
        "account number",
        "request_types": RIGHTS,
        "how_to_erase": "Invoices must be kept for six years (Art. 17(3)(b)); erase the "
        "contact details that are not on an invoice",
        "how_to_correct": "Edit the customer record; a credit note for a wrong invoice",
    },
    {
        "name": "Recruitment records",
        "owner": "HR",
        "data_held": "CVs, application forms, interview notes, references, right-to-work checks",
        "purposes": "Recruiting staff",
        "lawful_basis": "Steps before entering a contract (Art. 6(1)(b)); legal obligation "
        "for right-to-work checks (Art. 6(1)(c))",
        "recipients": "Recruitment agencies that introduced the candidate",
        "retention": "Six months after the role is filled; right-to-work checks as the law "
        "requires",
        "identifiers": ["name", "email", "phone"],
        "how_to_search": "HR folder and applicant tracking: search by name and email",
        "request_types": RIGHTS,
        "how_to_erase": "Delete the application folder and the applicant record",
        "how_to_correct": "Edit the applicant record",
    },
    {
        "name": "Website analytics (Google Analytics, aggregated)",
        "owner": "Marketing team",
        "data_held": "Aggregated statistics of website use; no names or contact details",
        "purposes": "Understanding how the website is used, to improve it",
        "lawful_basis": "Consent (cookie banner, PECR regulation 6)",
        "recipients": "Google LLC (analytics provider)",
        "outside_uk": True,
        "transfer_safeguard": "UK Extension to the EU-US Data Privacy Framework (UK adequacy "
        "regulations)",
        "retention": "14 months",
        "identifiers": [],
        "how_to_search": "Cannot be searched by name, email or phone: reports are aggregated",
        "request_types": ["access"],
        "how_to_erase": "Not held in an identifiable form",
        "how_to_correct": "Not held in an identifiable form",
    },
    {
        "name": "Website (WordPress)",
        "owner": "Marketing team",
        "data_held": "Contact form submissions, newsletter sign-ups, blog comments",
        "purposes": "Answering enquiries made through the website",
        "lawful_basis": "Legitimate interests (Art. 6(1)(f)); consent for sign-ups",
        "recipients": "Our website hosting provider",
        "retention": "Contact form entries 12 months",
        "identifiers": ["name", "email"],
        "how_to_search": "WordPress admin: form entries and comments, search by email and name",
        "request_types": NO_PORTABILITY,
        "how_to_erase": "Delete the form entries and comments",
        "how_to_correct": "Edit the entry or comment",
    },
    {
        "name": "Social media (Twitter, LinkedIn)",
        "owner": "Marketing team",
        "data_held": "Public profile names and handles, messages and comments sent to our accounts",
        "purposes": "Engaging with the public and clients on our social media accounts",
        "lawful_basis": "Legitimate interests (Art. 6(1)(f))",
        "recipients": "X Corp. (Twitter); LinkedIn Ireland",
        "outside_uk": True,
        "transfer_safeguard": "X Corp.: the UK International Data Transfer Addendum in its "
        "terms; LinkedIn Ireland: UK adequacy regulations (EEA)",
        "retention": "As long as the post or message stays on the platform",
        "identifiers": ["name"],
        "how_to_search": "Search our accounts' messages, mentions and comments by name and handle",
        "request_types": NO_PORTABILITY,
        "how_to_erase": "Delete our messages and replies; ask the requester to delete their "
        "own posts",
        "how_to_correct": "Edit or delete our post",
    },
]

_SYSTEM_TEXT = (
    "owner",
    "data_held",
    "purposes",
    "lawful_basis",
    "recipients",
    "transfer_safeguard",
    "retention",
    "how_to_search",
    "how_to_erase",
    "how_to_correct",
)


def _actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def upgrade() -> None:
    systems = op.create_table(
        "systems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("data_held", sa.Text(), nullable=False),
        sa.Column("purposes", sa.Text(), nullable=False),
        sa.Column("lawful_basis", sa.Text(), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("outside_uk", sa.Boolean(), nullable=False),
        sa.Column("transfer_safeguard", sa.Text(), nullable=False),
        sa.Column("retention", sa.Text(), nullable=False),
        sa.Column("identifiers", sa.JSON(), nullable=False),
        sa.Column("how_to_search", sa.Text(), nullable=False),
        sa.Column("request_types", sa.JSON(), nullable=False),
        sa.Column("how_to_erase", sa.Text(), nullable=False),
        sa.Column("how_to_correct", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_systems")),
    )
    changes = op.create_table(
        "system_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["systems.id"],
            name=op.f("fk_system_changes_system_id_systems"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_system_changes")),
    )
    with op.batch_alter_table("system_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_system_changes_system_id"), ["system_id"], unique=False
        )
    tasks = op.create_table(
        "search_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("system_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("decided_by", sa.Text(), nullable=True),
        sa.Column("searched_on", sa.Date(), nullable=True),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=True),
        sa.Column("period_to", sa.Date(), nullable=True),
        sa.Column("found", sa.Boolean(), nullable=True),
        sa.Column("items", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("left_out_reason", sa.Text(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=True),
        sa.Column("action_ground", sa.Text(), nullable=False),
        sa.Column("action_on", sa.Date(), nullable=True),
        sa.Column("action_by", sa.Text(), nullable=True),
        sa.Column("recipients_told", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["cases.id"],
            name=op.f("fk_search_tasks_case_id_cases"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["system_id"],
            ["systems.id"],
            name=op.f("fk_search_tasks_system_id_systems"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_tasks")),
        sa.UniqueConstraint("case_id", "system_id", name=op.f("uq_search_tasks_case_id")),
    )
    with op.batch_alter_table("search_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_tasks_case_id"), ["case_id"], unique=False)
    op.create_table(
        "search_material",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("attachment_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["attachment_id"],
            ["attachments.id"],
            name=op.f("fk_search_material_attachment_id_attachments"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["search_tasks.id"],
            name=op.f("fk_search_material_task_id_search_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "attachment_id", name=op.f("pk_search_material")),
    )
    with op.batch_alter_table("search_material", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_material_attachment_id"), ["attachment_id"], unique=False
        )
    _seed(systems, changes, tasks)


def _seed(systems: sa.Table, changes: sa.Table, tasks: sa.Table) -> None:
    """The policy's systems, then a plan for each open case with its timeline event."""
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)  # stored as naive UTC, like UTCDateTime
    actor = _actor()
    seeded: list[tuple[int, str, list[str]]] = []
    for entry in SYSTEMS:
        row = {key: entry.get(key, "") for key in _SYSTEM_TEXT}
        row |= {
            "name": entry["name"],
            "outside_uk": bool(entry.get("outside_uk", False)),
            "identifiers": entry["identifiers"],
            "request_types": entry["request_types"],
            "created_at": now,
            "updated_at": now,
            "retired_at": None,
            "version": 1,
        }
        system_id = bind.execute(systems.insert().values(**row)).inserted_primary_key[0]
        bind.execute(
            changes.insert().values(
                system_id=system_id,
                at=now,
                actor=actor,
                action="added",
                details={"name": entry["name"], "from": "the privacy policy (initial register)"},
            )
        )
        seeded.append((system_id, str(entry["name"]), list(entry["request_types"])))  # type: ignore[call-overload]

    events = sa.table(
        "case_events",
        sa.column("case_id", sa.Integer),
        sa.column("at", sa.DateTime),
        sa.column("actor", sa.Text),
        sa.column("kind", sa.String),
        sa.column("summary", sa.Text),
        sa.column("details", sa.JSON),
    )
    open_cases = bind.execute(
        sa.text("SELECT id, request_type FROM cases WHERE status != 'closed' ORDER BY id")
    ).all()
    for case_id, request_type in open_cases:
        titles = []
        for position, (system_id, name, _types) in enumerate(
            s for s in seeded if request_type in s[2]
        ):
            bind.execute(
                tasks.insert().values(
                    case_id=case_id,
                    system_id=system_id,
                    title=name,
                    manual=False,
                    position=position,
                    status="open",
                    created_at=now,
                    terms="",
                    items=0,
                    note="",
                    action_ground="",
                    recipients_told="",
                )
            )
            titles.append(name)
        bind.execute(
            events.insert().values(
                case_id=case_id,
                at=now,
                actor=actor,
                kind="search_plan_created",
                summary=f"Search plan made when DSAR Desk was upgraded: {len(titles)} "
                f"system{'s' if len(titles) != 1 else ''} to search (the systems register is "
                "new in this version).",
                details={"search_plan": titles, "by": "upgrade to schema 0002"},
            )
        )


def downgrade() -> None:
    # The 'search_plan_created' events stay: the timeline is append-only (its triggers refuse
    # a delete), and an older version shows an unknown kind as plain text.
    with op.batch_alter_table("search_material", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_material_attachment_id"))
    op.drop_table("search_material")
    with op.batch_alter_table("search_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_tasks_case_id"))
    op.drop_table("search_tasks")
    with op.batch_alter_table("system_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_changes_system_id"))
    op.drop_table("system_changes")
    op.drop_table("systems")
