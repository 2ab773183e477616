"""Paginated lists: no page ever loads a whole table."""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from flask import current_app, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_number(value: str | None = None) -> int:
    raw = value if value is not None else request.args.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 1_000_000 else 1


def paginate(session: Session, query: Select, page: int | None = None, per_page: int | None = None) -> Page:
    page = page or page_number()
    per_page = per_page or current_app.config["PAGE_SIZE"]
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items=items, page=page, per_page=per_page, total=total)
