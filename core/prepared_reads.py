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
others are the queryset's own constants. A list parameter is compiled once for each length; a
set (``pk__in=ids`` given ``ids={…}``) once for each power of two, its sorted values padded
with the last (an ``__in`` of many sizes then needs only a few compilations). The rows go
through the compiler's own converters (decimals and dates on SQLite). The query is run
through Django's cursor, so it is counted and logged like any other.

A queryset of model instances (``select_related``, ``only``, annotations; no
``prefetch_related``) is read with :meth:`PreparedRead.instances`, which makes the instances as
the ORM's own iterator does. The SQL is kept per language too: a translated field in a filter or
an ordering names the active language's column.

Only for querysets whose parameters reach the SQL unchanged: integers compared with integer
columns, text with text columns, dates with date columns – never a parameter the ORM
transforms (``__contains``, ``__iexact``, a model instance), nor a value the build function
computes from a parameter (pass ``month_start`` beside ``today``); it refuses one
that does not come through. ``unconverted(...)`` skips the converters for a read of integers
and text only; ``sql(...)`` gives the SQL to put in a statement of one's own. Model instances
are made of a row with :func:`field_paths` and :func:`instance` (``Model.from_db``, as the
ORM makes them), a ``select_related`` by hand.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import count

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet
from django.db.models.query import get_related_populators
from django.utils.translation import get_language

#: Stand-ins: integers no id reaches, and text no one types.
_FIRST_STAND_IN = -(2**62)
_TEXT_STAND_IN = "\x00prepared-read-{}\x00"
_FIRST_DAY = date(1, 1, 1)


class PreparedRead:
    def __init__(self, build: Callable[..., QuerySet]):
        self.build = build
        self._compiled: dict[tuple, tuple] = {}
        self._lock = threading.Lock()

    def __call__(self, **params) -> list[tuple]:
        compiled, rows = self._fetched(params)
        return list(compiled.converted(rows, tuples=True)) if rows else []

    def instances(self, **params) -> list:
        """The model instances of a queryset that is not a ``values_list`` one, with what it
        selects related and annotates, made as ``QuerySet.__iter__`` makes them."""
        compiled, rows = self._fetched(params)
        if not rows:
            return []
        model, alias, start, end, names, populators, annotations = compiled.plan
        objects = []
        for row in compiled.converted(rows):
            obj = model.from_db(alias, names, row[start:end])
            for populator in populators:
                populator.populate(row, obj)
            for name, position in annotations:
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def unconverted(self, **params) -> list[tuple]:
        """The rows as the database driver gives them, without the queryset's converters: for
        a read of integers and text only (counts, ids, names), which need none."""
        return self._fetched(params)[1]

    def _fetched(self, params: dict) -> tuple[_Compiled | None, list]:
        """``(compiled, rows)``; no rows, without asking, for an integer beyond any column."""
        if _beyond_integers(params):
            return None, []
        compiled, values = self._prepared(params)
        with connections[compiled.alias].cursor() as cursor:
            cursor.execute(compiled.sql, values)
            return compiled, cursor.fetchall()

    def sql(self, **params) -> tuple[str, list]:
        """The SQL and its parameters, to use inside a statement of one's own (a subquery:
        its rows are not converted)."""
        compiled, values = self._prepared(params)
        return compiled.sql, values

    def _prepared(self, params: dict) -> tuple[_Compiled, list]:
        params = {name: _membership(value) for name, value in params.items()}
        shape = (
            get_language(),
            *(
                (name, len(value) if isinstance(value, list | tuple) else type(value).__name__)
                for name, value in sorted(params.items())
            ),
        )
        compiled = self._compiled.get(shape)
        if compiled is None:
            queryset, stand_ins = self._built(params)
            compiled = _Compiled.of(queryset, stand_ins)
            with self._lock:
                self._compiled[shape] = compiled
        values = [
            constant if name is None else _value(params[name], index, as_text)
            for name, index, constant, as_text in compiled.slots
        ]
        return compiled, values

    def _built(self, params) -> tuple[QuerySet, dict]:
        counters = (count(_FIRST_STAND_IN), count(), count())
        stand_ins: dict = {}
        arguments = {}
        for name, value in params.items():
            if isinstance(value, list | tuple):
                items = [_stand_in(item, *counters) for item in value]
                for index, item in enumerate(items):
                    _remember(stand_ins, item, name, index)
                arguments[name] = items
            else:
                item = _stand_in(value, *counters)
                _remember(stand_ins, item, name, None)
                arguments[name] = item
        return self.build(**arguments), stand_ins


class _Compiled:
    """A read's SQL and where its parameters go, and what turning its rows into values and
    instances needs (the converters, the related objects' populators), worked out once."""

    def __init__(self, alias: str, compiler, sql: str, slots: list[tuple]):
        self.alias, self.compiler, self.sql, self.slots = alias, compiler, sql, slots

    @classmethod
    def of(cls, queryset: QuerySet, stand_ins: dict) -> _Compiled:
        if queryset._prefetch_related_lookups:
            raise ValueError("A prepared read cannot prefetch: read the related rows apart")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, sql_params = compiler.as_sql()
        slots = []
        for param in sql_params:
            found = stand_ins.get(param) if isinstance(param, int | str | date) else None
            if found is None:
                slots.append((None, None, param, False))
            else:
                name, index, is_date = found
                slots.append((name, index, None, is_date and isinstance(param, str)))
        given = {(name, index) for name, index, _is_date in stand_ins.values()}
        missing = given - {(name, index) for name, index, _c, _t in slots if name}
        if missing:
            raise ValueError(f"Parameters changed or left out by the ORM: {sorted(missing)}")
        return cls(queryset.db, compiler, sql, slots)

    @cached_property
    def _conversion(self) -> tuple[list, list, bool]:
        compiler = self.compiler
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return fields, compiler.get_converters(fields), compiler.has_composite_fields(fields)

    def converted(self, rows: list, *, tuples: bool = False) -> Iterable:
        """The rows converted as ``SQLCompiler.results_iter`` converts them."""
        fields, converters, composite = self._conversion
        if converters:
            rows = self.compiler.apply_converters(rows, converters)
        if composite:
            rows = self.compiler.composite_fields_to_tuples(rows, fields)
        if tuples and (converters or composite):
            rows = map(tuple, rows)
        return rows

    @cached_property
    def plan(self) -> tuple:
        """``(model, alias, start, end, names, populators, annotations)`` for ``instances``."""
        compiler = self.compiler
        klass_info, select = compiler.klass_info, compiler.select
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        return (
            klass_info["model"],
            self.alias,
            start,
            end,
            [column[0].target.attname for column in select[start:end]],
            get_related_populators(klass_info, select, self.alias),
            list(compiler.annotation_col_map.items()),
        )


def _stand_in(value, numbers, texts, days):
    if isinstance(value, bool | datetime) or not isinstance(value, int | str | date):
        raise TypeError(
            f"A prepared read takes integers, text and dates, not {type(value).__name__}"
        )
    if isinstance(value, int):
        return next(numbers)
    if isinstance(value, date):
        return _FIRST_DAY + timedelta(days=next(days))
    return _TEXT_STAND_IN.format(next(texts))


def _membership(value):
    """A set (the values of an ``__in``) as a sorted list of the next power-of-two length,
    the last value repeated: the SQL of a few lengths serves every size."""
    if not isinstance(value, set | frozenset) or not value:
        return value
    items = sorted(value)
    return items + items[-1:] * ((1 << (len(items) - 1).bit_length()) - len(items))


def _beyond_integers(params: dict) -> bool:
    """Whether an integer parameter lies beyond what a database integer holds: no row can
    match it (as the ORM answers such a lookup: nothing), and the driver would refuse it."""
    for value in params.values():
        for item in value if isinstance(value, list | tuple | set | frozenset) else (value,):
            if isinstance(item, int) and not -(2**63) <= item < 2**63:
                return True
    return False


def _remember(stand_ins: dict, item, name: str, index: int | None) -> None:
    """Note which parameter ``item`` stands in for; a date also as the text a backend that
    keeps dates as text (SQLite) puts in the SQL's parameters."""
    is_date = isinstance(item, date)
    stand_ins[item] = (name, index, is_date)
    if is_date:
        stand_ins[item.isoformat()] = (name, index, is_date)


def _value(value, index, as_text):
    value = value if index is None else value[index]
    return value.isoformat() if as_text else value


def field_paths(model, prefix: str = "") -> list[str]:
    """The ``values_list`` paths of every concrete field of ``model`` (through ``prefix``,
    e.g. ``"network__"``), in the order :func:`instance` reads them."""
    return [f"{prefix}{field.attname}" for field in model._meta.concrete_fields]


def instance(model, row: tuple, start: int = 0, *, using: str = DEFAULT_DB_ALIAS):
    """The ``model`` instance whose fields are ``row[start:]`` (read by :func:`field_paths`),
    as if the ORM had loaded it from ``using``: nothing deferred, not marked as new."""
    names = [field.attname for field in model._meta.concrete_fields]
    return model.from_db(using, names, row[start : start + len(names)])
