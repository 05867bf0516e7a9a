"""The case list as a Qt table model that asks SQLite for one page at a time.

Like Anki's browser table, the model knows only how many rows the query has; rows are
fetched in pages of `PAGE_SIZE` when the view paints them and kept in a small LRU cache.
Filtering and sorting change the query and reset the model: SQLite does the work on its
indexes, so 100,000 cases cost no more than a page (no QSortFilterProxyModel, which would
need every row in memory).

The model can exist before the store is open (the window is shown first, issue 14): it is
empty and keeps whatever filter, sort and search the DPO chooses meanwhile, and `attach`
reads them as its first query. So `app.queries` (and SQLAlchemy behind it) is imported only
where a query is run.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.domain import Status
from app.listing import CaseFilter, CaseQuery, SortKey
from ui.urgency_style import LOOKS, days_left_text, status_text, tooltip, urgency_icon

if TYPE_CHECKING:  # the rows come from app.queries, imported once the store is open
    from app.readmodels import CaseRow
    from app.search_plan import SearchPlan
    from app.store import Store

# A page fills a tall window (about 45 rows at 1080 pixels) and no more: each row read costs
# its conversion to a CaseRow, and a filter, sort or search change reads the first page
# while the DPO waits (200 rows took three times as long at 100,000 cases: tests/bench).
PAGE_SIZE = 64
PAGES_CACHED = 24

COLUMNS: tuple[tuple[str, SortKey], ...] = (
    ("Reference", SortKey.REFERENCE),
    ("Requester", SortKey.REQUESTER),
    ("Type", SortKey.TYPE),
    ("Received", SortKey.RECEIVED),
    ("Due", SortKey.DUE),
    ("Days left", SortKey.DAYS_LEFT),
    ("Status", SortKey.STATUS),
)
DAYS_LEFT_COLUMN = 5
STATUS_COLUMN = 6
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 1

_Index = QModelIndex | QPersistentModelIndex
_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.BackgroundRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.TextAlignmentRole,
        CASE_ID_ROLE,
    }
)


class CaseTableModel(QAbstractTableModel):
    """Rows of `app.queries.list_cases` for the current `CaseQuery`, fetched lazily."""

    def __init__(
        self,
        store: Store | None,
        parent: QObject | None = None,
        *,
        today: Callable[[], date] = date.today,
        query: CaseQuery | None = None,
        page_size: int = PAGE_SIZE,
        pages_cached: int = PAGES_CACHED,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._today = today
        self._query = query or CaseQuery()
        self._page_size = page_size
        self._pages_cached = pages_cached
        self._pages: OrderedDict[int, list[CaseRow]] = OrderedDict()
        self.rows_fetched = 0  # rows read from the store since creation (for tests/benches)
        self._day = today()
        self._plan: SearchPlan | None = None
        self._count = 0
        if store is not None:
            self.refresh()

    def attach(self, store: Store) -> None:
        """The store is open: read the first page of the query chosen while it opened."""
        self._store = store
        self.refresh()

    # -- the query -------------------------------------------------------------------------

    @property
    def query(self) -> CaseQuery:
        return self._query

    def set_query(self, query: CaseQuery) -> None:
        """Show another filter/search/order; the view is reset and scrolls back to the top."""
        searched_before = self._query.search
        self._query = query
        self.refresh(replan=query.search != searched_before)

    def set_filter(self, case_filter: CaseFilter) -> None:
        if case_filter is not self._query.filter:
            self.set_query(replace(self._query, filter=case_filter))

    def set_search(self, text: str) -> None:
        if text != self._query.search:
            self.set_query(replace(self._query, search=text))

    def refresh(self, *, replan: bool = True) -> None:
        """Re-count and forget cached pages (the store or the date changed)."""
        self.beginResetModel()
        self._pages.clear()
        self._day = self._today()
        if self._store is None:  # still opening: the query waits for `attach`
            self._count = 0
        else:
            if replan:  # the store's content (or the search) decides how to search
                from app.queries import plan_for

                self._plan = plan_for(self._store, self._query)
            self._count = self._recount()
        self.endResetModel()

    def _recount(self) -> int:
        """Read the first page (shown anyway); only a full page needs a count(*) as well,
        which spares most search keystrokes a second scan."""
        from app.queries import count_cases

        first = self._page(0)
        if len(first) < self._page_size or self._store is None:
            return len(first)
        return count_cases(self._store, self._query, today=self._day, plan=self._plan)

    # -- lookups for the window ------------------------------------------------------------

    def case_id(self, row: int) -> int | None:
        found = self._row(row)
        return None if found is None else found.id

    def case_row(self, row: int) -> CaseRow | None:
        return self._row(row)

    def row_of(self, case_id: int, *, hint: int | None = None) -> int | None:
        """Where a case is listed now: from the cached pages (and the page around `hint`,
        its row before a refresh) if there, else asked of SQL."""
        if hint is not None and 0 <= hint < self._count:
            self._page(hint // self._page_size)
        for number, page in self._pages.items():
            for offset, found in enumerate(page):
                if found.id == case_id:
                    return number * self._page_size + offset
        if self._store is None:
            return None
        from app.queries import row_position

        return row_position(self._store, self._query, case_id, today=self._day, plan=self._plan)

    def row_in_first_page(self, case_id: int) -> int | None:
        """Cheap lookup after a filter or search change: the first page is shown anyway."""
        if self._count == 0:
            return None
        for offset, found in enumerate(self._page(0)):
            if found.id == case_id:
                return offset
        return None

    # -- QAbstractTableModel ---------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section][0]
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"Sort by {COLUMNS[section][0].lower()}"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Painting asks each cell for a dozen roles; most are none of ours, so answer those
        # before looking the row up.
        if role not in _ROLES or not index.isValid() or index.parent().isValid():
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        match role:
            case Qt.ItemDataRole.DisplayRole | Qt.ItemDataRole.AccessibleTextRole:
                return _display(row, column)
            case Qt.ItemDataRole.ToolTipRole:
                if column == 1 and row.requester_email:
                    return f"{row.requester_name} <{row.requester_email}>"
                if column in (DAYS_LEFT_COLUMN, STATUS_COLUMN):
                    return tooltip(row)
            case Qt.ItemDataRole.BackgroundRole if column in (DAYS_LEFT_COLUMN, STATUS_COLUMN):
                return QBrush(QColor(LOOKS[row.urgency].background))
            case Qt.ItemDataRole.ForegroundRole if column in (DAYS_LEFT_COLUMN, STATUS_COLUMN):
                return QBrush(QColor(LOOKS[row.urgency].foreground))
            case Qt.ItemDataRole.DecorationRole if column == STATUS_COLUMN:
                return urgency_icon(row.urgency)
            case Qt.ItemDataRole.TextAlignmentRole if column == DAYS_LEFT_COLUMN:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            case _ if role == CASE_ID_ROLE:
                return row.id
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        descending = order == Qt.SortOrder.DescendingOrder
        key = COLUMNS[column][1]
        if key is not self._query.sort or descending != self._query.descending:
            # Same rows in another order: the count stands, only the cached pages go.
            self.beginResetModel()
            self._query = replace(self._query, sort=key, descending=descending)
            self._pages.clear()
            self.endResetModel()

    # -- paging ----------------------------------------------------------------------------

    def _row(self, row: int) -> CaseRow | None:
        if not 0 <= row < self._count:
            return None
        number, offset = divmod(row, self._page_size)
        page = self._page(number)
        return page[offset] if offset < len(page) else None

    def _page(self, number: int) -> list[CaseRow]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        if self._store is None:
            return []
        from app.queries import list_cases

        page = list_cases(
            self._store,
            self._query,
            today=self._day,
            offset=number * self._page_size,
            limit=self._page_size,
            plan=self._plan,
        )
        self.rows_fetched += len(page)
        self._pages[number] = page
        while len(self._pages) > self._pages_cached:
            self._pages.popitem(last=False)
        return page


def _display(row: CaseRow, column: int) -> str:
    from app.formatting import uk_date  # babel: loaded with the first row, not at start

    match column:
        case 0:
            return row.reference
        case 1:
            return row.requester_name
        case 2:
            return row.request_type.label
        case 3:
            return uk_date(row.received_on)
        case 4:
            # While waiting for ID the period has not started; a date counted from the
            # receipt would be wrong once the ID arrives (the case view says the same).
            if row.status is Status.AWAITING_IDENTITY:
                return "Not started"
            return uk_date(row.effective_due)
        case 5:
            return days_left_text(row)
        case _:
            return status_text(row)
