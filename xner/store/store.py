"""The store behind the review app: one facade over modules split by concern.

- datasets and their items: :mod:`xner.store.datasets`
- decisions, appended to a log with the item's state in one transaction, refused when
  made on a stale view: :mod:`xner.store.decisions`; undo: :mod:`xner.store.undo`
- background imports and who runs them: :mod:`xner.store.jobs`, :mod:`xner.store.imports`
- export and agreement: :mod:`xner.store.export`, :mod:`xner.store.agreement`
- the connection, write transactions and retries: :mod:`xner.store.database`;
  the schema: :mod:`xner.store.schema`, brought up to date on opening by
  :mod:`xner.store.migrations`

Each method below is the function of that module, taking the store as its first argument;
the app, the CLI and scripts call them on a :class:`Store`.
"""

from __future__ import annotations

from xner.store import agreement as _agreement
from xner.store import datasets as _datasets
from xner.store import decisions as _decisions
from xner.store import export as _export
from xner.store import jobs as _jobs
from xner.store import undo as _undo
from xner.store.database import Database


class Store(Database):
    """The review store: ``Store()`` opens the default one (:func:`xner.store.default_url`),
    ``Store(url)`` any SQLite or PostgreSQL URL, and brings its schema up to date."""

    def __init__(self, url: str | None = None, *, busy_ms: int = 2000, retries: int = 5) -> None:
        super().__init__(url, busy_ms=busy_ms, retries=retries)
        # labels per ready dataset (they change only while it is imported)
        self._labels: dict[int, tuple[str, ...]] = {}

    # datasets and items
    check_dataset_name = _datasets.check_dataset_name
    reserve_dataset = _datasets.reserve_dataset
    add_items = _datasets.add_items
    finish_dataset = _datasets.finish_dataset
    delete_dataset = _datasets.delete_dataset
    create_dataset = _datasets.create_dataset
    datasets = _datasets.datasets
    dataset_id = _datasets.dataset_id
    labels = _datasets.labels
    item_ids = _datasets.item_ids
    item = _datasets.item
    item_at = _datasets.item_at
    view = _datasets.view
    pending_items = _datasets.pending_items

    # decisions and undo
    record = _decisions.record
    state = _decisions.state
    decisions = _decisions.log
    annotators = _decisions.annotators
    statuses = _decisions.statuses
    progress = _decisions.progress
    next_item = _decisions.next_item
    history = _decisions.history
    last_decision = _decisions.last_decision
    undo_last = _undo.undo_last
    undo = _undo.undo

    # what reviewers made of a dataset
    export = _export.reviewed_pairs
    agreement = _agreement.exact_agreement

    # background imports
    jobs = _jobs.jobs
    job = _jobs.job
