"""The building blocks of the API's declared schemas: pydantic models for bodies, queries and answers.

Each ``*/api.py`` declares what its operations read and answer as models built from these pieces;
:mod:`app.api.openapi` builds the document from them and :mod:`app.api.inputs` checks bodies with them.

A request body (:class:`Body`) checks what a type can say, strictly (``"5"`` is no number) and without
any field it does not declare. What a type check cannot say stays with the services, which answer 422
with the pages' messages: so an ``enum``, a length or a pattern is *documented* (:class:`Documented`)
but not enforced here, and a date a person typed is text. Every text must be storable (no NUL, no half
of a surrogate pair) and every integer a database integer (within ±(2³¹ − 1)).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import PydanticCustomError

INT_MAX = 2**31 - 1
#: the default of a field a body or an answer may leave out; null is another thing, allowed only where the
#: type says ``| None`` (typed Any so that ``born: Text = ABSENT`` reads as what it is, to mypy too)
ABSENT: Any = None


class Body(BaseModel):
    """A request body: strict types and only the declared fields (``additionalProperties: false``)."""

    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    """The query parameters an operation reads (documented only: each view reads and checks its own)."""


class Answer(BaseModel):
    """A response body. Closed: a field a view adds without declaring it fails the API tests."""

    model_config = ConfigDict(extra="forbid")


class OpenAnswer(BaseModel):
    """A response body whose keys are data (not fields), or that carries more than it declares."""

    model_config = ConfigDict(extra="allow")


class SchemaGenerator(GenerateJsonSchema):
    """pydantic's JSON Schema without a title on each field or the defaults (the services decide)."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def default_schema(self, schema):
        return self.generate_inner(schema["schema"])

    def nullable_schema(self, schema):
        """``{"type": ["string", "null"]}`` rather than an ``anyOf`` for a simple type that may be null."""
        inner = self.generate_inner(schema["schema"])
        if isinstance(inner.get("type"), str) and "enum" not in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return super().nullable_schema(schema)


def bad_text(text: str) -> bool:
    """True for text no database column can hold: a NUL character or a lone surrogate."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _storable(value):
    if isinstance(value, str) and bad_text(value):
        raise PydanticCustomError("unstorable", "contains a character that cannot be stored")
    return value


def _loose(value):
    """A value whose shape is checked where it is read: its text storable, a number one a database holds,
    the text items of a list and the keys of an object storable (what is inside them is checked later)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        bound = INT_MAX if isinstance(value, int) else math.inf
        if not -bound <= value <= bound:
            raise PydanticCustomError("number_range", "a number from {low} to {high}", {"low": -bound, "high": bound})
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str) and bad_text(item):
                raise PydanticCustomError("unstorable_item", "item {i}: cannot be stored", {"i": i})
    elif isinstance(value, dict):
        for key in value:
            _storable(key)
    return _storable(value)


def _utc_time(text: str) -> str:
    """An ISO 8601 date and time (as devices send them) that a UTC timestamp can hold."""
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is not None:
            moment.astimezone(UTC)
    except (ValueError, OverflowError):  # 0001-01-01T00:00+01:00 is ISO but before year 1 in UTC
        raise PydanticCustomError("utc_time", "an ISO date and time") from None
    return text


_DATE_TIME = {"type": "string", "format": "date-time"}
#: storable text
Text = Annotated[str, AfterValidator(_storable)]
#: any JSON value, its shape checked where it is read (:func:`_loose`)
Anything = Annotated[Any, AfterValidator(_loose)]
#: a JSON object whose fields are checked where it is read; its keys must be storable
AnyObject = Annotated[dict[str, Any], AfterValidator(_loose)]
#: a moment a device sends: checked here (400)
DateTime = Annotated[str, AfterValidator(_storable), AfterValidator(_utc_time), WithJsonSchema(_DATE_TIME)]


class Documented:
    """What the document says of a value beyond its type (allowed values, a length, a pattern, a format)
    and the services check, answering 422 with the pages' messages: ``Annotated[Text, Documented(enum=...)]``.
    A value that may be null keeps null among the allowed values."""

    def __init__(self, enum: Iterable[str] | None = None, **extra) -> None:
        self.enum = None if enum is None else list(enum)
        self.extra = extra

    def __get_pydantic_json_schema__(self, core_schema, handler) -> dict:
        schema = {**handler(core_schema), **self.extra}
        if self.enum is not None:
            schema["enum"] = [*self.enum, None] if "null" in schema.get("type", ()) else self.enum
        return schema


#: a database id or sequence number: from 1
PositiveInt = Annotated[int, Field(ge=1, le=INT_MAX)]


class Page(BaseModel):
    """One page of a list: ``items`` (declared by each page model), the page, the pages, the total."""

    page: int
    pages: int
    total: int


#: a date as a person types it: text here, the services check it (422)
DateText = Annotated[Text, Documented(format="date")]
#: a day or a moment in an answer: ISO 8601 text
DateString = Annotated[str, Documented(format="date")]
DateTimeString = Annotated[str, Documented(format="date-time")]
