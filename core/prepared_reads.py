"""Reads whose SQL the ORM compiles once per process, then run with new parameters.

Turning a queryset into SQL costs the ORM about a millisecond of CPU on every request – more
than the database takes to answer a small read, and several times what the page does with the
rows. A :class:`PreparedRead` keeps the SQL of a ``values_list`` queryset, built by a function
of integer and text parameters, and on each call only puts the new parameters in:

    lines = PreparedRead(
        lambda order_id: Line.objects.filter(order_id=order_id).values_list("pk", "amount")
    )
    rows = lines(order_id=7)  # [(pk, amount), …], converted as the queryset converts them

How: the function is called once with stand-ins (unlikely integers, text that cannot be typed)
and compiled; each parameter of the SQL that is a stand-in is replaced by the value given, the
others are the queryset's own constants. A list parameter (``pk__in=ids``) is compiled once for
each length. The rows go through the compiler's own converters (decimals and dates on SQLite).
The query is run through Django's cursor, so it is counted and logged like any other.

Only for ``values_list`` querysets (rows, not model instances) whose parameters reach the SQL
unchanged: integers compared with integer columns, text with text columns – never a parameter
the ORM transforms (``__contains``, ``__iexact``, a date, a model instance); it refuses one
that does not come through. ``unconverted(...)`` skips the converters for a read of integers
and text only; ``sql(...)`` gives the SQL to put in a statement of one's own. Model instances
are made of a row with :func:`field_paths` and :func:`instance` (``Model.from_db``, as the
ORM makes them), a ``select_related`` by hand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import count

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

#: Stand-ins: integers no id reaches, and text no one types.
_FIRST_STAND_IN = -(2**62)
_TEXT_STAND_IN = "\x00prepared-read-{}\x00"


class PreparedRead:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def __call__(self, **params) -> list[tuple]:
        alias, compiler, sql, values = self._prepared(params)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            rows = cursor.fetchall()
        return list(compiler.results_iter(results=[rows], tuple_expected=True))

    def unconverted(self, **params) -> list[tuple]:
        """The rows as the database driver gives them, without the queryset's converters: for
        a read of integers and text only (counts, ids, names), which need none."""
        alias, _compiler, sql, values = self._prepared(params)
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()

    def sql(self, **params) -> tuple[str, list]:
        """The SQL and its parameters, to use inside a statement of one's own (a subquery:
        its rows are not converted)."""
        _alias, _compiler, sql, values = self._prepared(params)
        return sql, values

    def _prepared(self, params: dict) -> tuple:
        shape = tuple(
            (name, len(value) if isinstance(value, list | tuple) else type(value).__name__)
            for name, value in sorted(params.items())
        )
        compiled = self._compiled.get(shape)
        if compiled is None:
            queryset, stand_ins = self._built(params)
            compiled = self._compile(queryset, stand_ins)
            with self._lock:
                self._compiled[shape] = compiled
        alias, compiler, sql, slots = compiled
        values = [
            constant if name is None else _value(params[name], index)
            for name, index, constant in slots
        ]
        return alias, compiler, sql, values

    def _built(self, params) -> tuple[QuerySet, dict]:
        numbers = count(_FIRST_STAND_IN)
        texts = count()
        stand_ins: dict = {}
        arguments = {}
        for name, value in params.items():
            if isinstance(value, list | tuple):
                items = [_stand_in(item, numbers, texts) for item in value]
                for index, item in enumerate(items):
                    stand_ins[item] = (name, index)
                arguments[name] = items
            else:
                item = _stand_in(value, numbers, texts)
                stand_ins[item] = (name, None)
                arguments[name] = item
        return self.build(**arguments), stand_ins

    @staticmethod
    def _compile(queryset: QuerySet, stand_ins: dict) -> tuple:
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, sql_params = compiler.as_sql()
        slots = []
        for param in sql_params:
            found = stand_ins.get(param) if isinstance(param, int | str) else None
            if found is None:
                slots.append((None, None, param))
            else:
                slots.append((found[0], found[1], None))
        missing = set(stand_ins.values()) - {(n, i) for n, i, _c in slots if n}
        if missing:
            raise ValueError(f"Parameters changed or left out by the ORM: {sorted(missing)}")
        return queryset.db, compiler, sql, slots


def _stand_in(value, numbers, texts):
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise TypeError(f"A prepared read takes integers and text, not {type(value).__name__}")
    if isinstance(value, int):
        return next(numbers)
    return _TEXT_STAND_IN.format(next(texts))


def _value(value, index):
    return value if index is None else value[index]


def field_paths(model, prefix: str = "") -> list[str]:
    """The ``values_list`` paths of every concrete field of ``model`` (through ``prefix``,
    e.g. ``"network__"``), in the order :func:`instance` reads them."""
    return [f"{prefix}{field.attname}" for field in model._meta.concrete_fields]


def instance(model, row: tuple, start: int = 0, *, using: str = DEFAULT_DB_ALIAS):
    """The ``model`` instance whose fields are ``row[start:]`` (read by :func:`field_paths`),
    as if the ORM had loaded it from ``using``: nothing deferred, not marked as new."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(using, names, row[start : start + len(names)])
