"""The search record of a case: one task per place personal data may be held (from the
register, app.systems, or added by hand), each searched with the terms and period recorded
or left out with a reason, and for erasure, rectification and restriction the action taken
in each system and the recipients told (Art. 19). The record answers Art. 15(1A): the search
was reasonable and proportionate, and here is how.

Public contract:
    plan(store, case_id) -> list[SearchTask]
    record_search(store, task_id, *, on, terms, found, items=0, note="", ...) -> SearchTask
    leave_out(store, task_id, *, reason) -> SearchTask
    record_action(store, task_id, *, action, on, ground="", recipients_told="") -> SearchTask
    add_task(store, case_id, *, title="", system_id=None) -> SearchTask
    counts(store, case_id) -> PlanCounts              ('5 of 8 systems searched')
    search_statement(store, case_id) -> str            (the access letter's paragraph)
    finished_statement(tasks) -> str                   (the same, or '' while unfinished)

Plans are made by app.cases when a request is logged or its type changes
(app.searches.planning), and app.cases.close refuses to close with tasks unfinished.
Every change is one transaction with one event on the case's timeline.
"""

from app.searches.erasure import forget_personal_data
from app.searches.recording import (
    add_task,
    counts,
    get_task,
    leave_out,
    plan,
    plan_counts,
    record_action,
    record_search,
)
from app.searches.records import ACTION_FOR_TYPE, PlanCounts, SearchTask, SystemAction, TaskStatus
from app.searches.statement import finished_statement, search_statement

__all__ = [
    "ACTION_FOR_TYPE",
    "PlanCounts",
    "SearchTask",
    "SystemAction",
    "TaskStatus",
    "add_task",
    "counts",
    "finished_statement",
    "forget_personal_data",
    "get_task",
    "leave_out",
    "plan",
    "plan_counts",
    "record_action",
    "record_search",
    "search_statement",
]
