"""Comments and flags on items: a guideline question, "unsure"; every annotator sees them,
the queue filter searches them and the export carries them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from xner.errors import ConfigError
from xner.store.schema import Comment, Item

if TYPE_CHECKING:
    from xner.store.store import Store

# the flags a comment may carry ("" for none); the queue filter offers them
FLAGS = ("unsure", "guideline question", "wrong translation", "needs adjudication")


@dataclass(frozen=True)
class ItemComment:
    comment_id: int
    item_id: int
    annotator: str
    flag: str
    text: str
    created_at: datetime

    def as_dict(self) -> dict[str, str]:
        return {"annotator": self.annotator, "flag": self.flag, "text": self.text,
                "time": self.created_at.isoformat()}


def add_comment(store: Store, item_id: int, annotator: str, text: str, flag: str = "") -> int:
    """Store a comment; a flag alone (no text) is a comment too."""
    text, flag = text.strip(), flag.strip()
    if not annotator.strip():
        raise ConfigError("enter an annotator name before commenting")
    if flag and flag not in FLAGS:
        raise ConfigError(f"unknown flag {flag!r}; choose one of: {', '.join(FLAGS)}")
    if not text and not flag:
        raise ConfigError("a comment needs some text or a flag")
    if len(text) > 4000:
        raise ConfigError(f"a comment has at most 4000 characters (this one has {len(text)}); shorten it")

    def work(session: Session) -> int:
        if session.get(Item, item_id) is None:
            raise ConfigError(f"item {item_id} does not exist")
        comment = Comment(item_id=item_id, annotator=annotator.strip(), flag=flag, text=text)
        session.add(comment)
        session.flush()
        return comment.id

    return store._write(work)


def comments(store: Store, item_ids: Iterable[int]) -> dict[int, list[ItemComment]]:
    """The comments on each of ``item_ids`` (oldest first); items without any are left out."""
    ids = list(item_ids)
    found: dict[int, list[ItemComment]] = {}
    with store.sessions() as session:
        rows = session.scalars(select(Comment).where(Comment.item_id.in_(ids)).order_by(Comment.id))
        for c in rows:
            created = c.created_at if c.created_at.tzinfo else c.created_at.replace(tzinfo=timezone.utc)
            found.setdefault(c.item_id, []).append(ItemComment(c.id, c.item_id, c.annotator, c.flag, c.text, created))
    return found
