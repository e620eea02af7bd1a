"""Text the store refuses on every engine, so SQLite and PostgreSQL keep the same data.

PostgreSQL refuses a VARCHAR(n) value longer than n and any NUL character; SQLite stores
both without a word. Checking before each flush makes SQLite refuse them too, with the same
error, instead of keeping data a PostgreSQL store would never have accepted.
"""

from __future__ import annotations

from sqlalchemy import String, inspect

from handoff.errors import InvalidInputError


def refuse_unstorable_text(session, _flush_context, _instances) -> None:
    """A before_flush hook: raise for any new or changed text a column cannot hold."""
    for instance in (*session.new, *session.dirty):
        state = inspect(instance)
        for attribute in state.mapper.column_attrs:
            value = state.dict.get(attribute.key)  # loaded values only: checking loads nothing
            if isinstance(value, str):
                _check(state.mapper.local_table.name, attribute.columns[0], value)


def _check(table: str, column, value: str) -> None:
    length = column.type.length if isinstance(column.type, String) else None
    if length is not None and len(value) > length:
        raise InvalidInputError(f"{table}.{column.name} holds at most {length} characters; "
                                f"this value has {len(value)}.",
                                "shorten it (nothing was saved)", code="too_long")
    if "\x00" in value:
        raise InvalidInputError(f"{table}.{column.name} cannot hold a NUL character.",
                                "remove the NUL (\\x00) from the value (nothing was saved)",
                                code="nul_character")
