"""Material from the search record (app.searches): the files a search task produced become
items of the disclosure set, linked to the task, with the system searched as their source.
So the schedule can say where each item came from, and the search record what became of
what it found."""

from __future__ import annotations

from sqlalchemy import select

from app.attachments import attachment_content, get_attachment, safe_filename
from app.disclosure.items import keep_item
from app.disclosure.records import ItemInfo
from app.disclosure.render import Rendition, render_file
from app.domain import DomainError
from app.models import DisclosureItem, SearchTaskRecord
from app.searches import SearchTask, get_task, plan
from app.store import Store


def tasks_with_material(store: Store, case_id: int) -> list[SearchTask]:
    """The case's search tasks that produced files."""
    return [task for task in plan(store, case_id) if task.material]


def add_items_from_task(store: Store, case_id: int, task_id: int) -> list[ItemInfo]:
    """Add every file the task produced that is not in the set yet; all of them or none."""
    task = get_task(store, task_id)
    if task.case_id != case_id:
        raise DomainError("That search belongs to another case.")
    if not task.material:
        raise DomainError(f"The search of {task.title} recorded no files to add.")
    with store.read() as session:
        present = set(
            session.scalars(
                select(DisclosureItem.attachment_id).where(
                    DisclosureItem.case_id == case_id,
                    DisclosureItem.search_task_id == task_id,
                    DisclosureItem.removed_at.is_(None),
                )
            )
        )
    wanted = [a for a in task.material if a not in present]
    if not wanted:
        raise DomainError(f"Every file from the search of {task.title} is in the set already.")
    rendered: list[tuple[int, str, bytes, Rendition]] = []
    for attachment_id in wanted:
        attachment = get_attachment(store, attachment_id)
        content = attachment_content(store, attachment_id)
        name = safe_filename(attachment.filename, fallback="file")
        rendered.append((attachment_id, name, content, render_file(name, content)))
    added: list[ItemInfo] = []
    with store.write() as session:
        if session.get(SearchTaskRecord, task_id) is None:
            raise DomainError("That search is no longer on the record.")
        for attachment_id, name, content, rendition in rendered:
            info = keep_item(
                session,
                case_id,
                name=name,
                content=content,
                rendition=rendition,
                title=(rendition.title or name)[:300],
                source=task.title,
                item_date=rendition.item_date,
                attachment_id=attachment_id,
                search_task_id=task_id,
            )
            added.append(info)
    return added
