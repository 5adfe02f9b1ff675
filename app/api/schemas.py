"""Schema building blocks shared by every resource: strict request models, safe text, pages of results."""
from __future__ import annotations

from typing import Annotated, Any, Callable, TypeVar

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model
from sqlalchemy import Select

from models import db

from .operations import next_link

# No NUL character: PostgreSQL cannot store it in text, and no human writes it.
NO_NUL = r"^[^\x00]*$"


def Text(max_length: int, min_length: int = 0):  # noqa: N802 - a type factory, read like a type
    """A string of at most `max_length` characters, surrounding spaces removed, without NUL."""
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length,
                                            pattern=NO_NUL)]



class RequestModel(BaseModel):
    """A request body: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class QueryModel(BaseModel):
    """Query parameters: unknown ones are ignored (caches and tools add their own)."""

    model_config = ConfigDict(extra="ignore")


class ResponseModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PageQuery(QueryModel):
    page: int = Field(1, ge=1, le=100_000, description="Page number, from 1.")
    per_page: int = Field(20, ge=1, le=100, description="Items per page (at most 100).")


T = TypeVar("T", bound=BaseModel)
_PAGES: dict[type, type] = {}


def page_model(item: type[T]) -> type[BaseModel]:
    """`<Item>Page`: {"items": [...], "next": address of the next page or null}."""
    if item not in _PAGES:
        _PAGES[item] = create_model(
            f"{item.__name__}Page", __base__=ResponseModel,
            items=(list[item], ...), next=(str | None, Field(None, description="The next page's address; null on the last page.")),
        )
    return _PAGES[item]


def page_of(stmt: Select, query: PageQuery, item: type[T], to_item: Callable[[Any], T] | None = None) -> BaseModel:
    """One page of `stmt` (a select of model rows), one row more than asked to know if there is a next page."""
    rows = list(db.session.scalars(stmt.limit(query.per_page + 1).offset((query.page - 1) * query.per_page)))
    more = len(rows) > query.per_page
    convert = to_item or item.model_validate
    return page_model(item)(items=[convert(row) for row in rows[: query.per_page]],
                            next=next_link(query.page) if more else None)


__all__ = ["NO_NUL", "PageQuery", "QueryModel", "RequestModel", "ResponseModel", "Text", "page_model", "page_of"]
