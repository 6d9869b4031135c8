"""Subqueries that give one column of the outer query, so that a page showing an object with
its lists and numbers reads them in the object's own query: the rows of a related table as
JSON (``json_rows``) or as one text (``JoinedText``), how many there are (``count_of``) and the
sum of a column (``sum_of``)."""

from __future__ import annotations

from django.db.models import CharField, F, Func, IntegerField, JSONField, QuerySet, Subquery
from django.db.models.functions import Coalesce, JSONObject


class _Aggregate(Func):
    """An aggregate called ``function`` in SQLite and ``postgresql_function`` in PostgreSQL."""

    postgresql_function = ""

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function=self.postgresql_function, **extra_context)


class JSONRows(_Aggregate):
    """The values of a subquery's rows as one JSON array, in no particular order
    (PostgreSQL gives NULL for none)."""

    function = "JSON_GROUP_ARRAY"
    postgresql_function = "JSONB_AGG"
    output_field = JSONField()


class JoinedText(_Aggregate):
    """The values of a subquery's rows as one string, joined by the second argument, in no
    particular order."""

    function = "GROUP_CONCAT"
    postgresql_function = "STRING_AGG"
    output_field = CharField()


def json_rows(queryset: QuerySet, *names: str, **fields) -> Subquery:
    """The rows of ``queryset`` (filtered by an ``OuterRef``) as a JSON array of objects with
    the fields ``names`` under their own names and ``fields`` (name: expression or field
    name), for one column of the outer query: None or ``[]`` for no rows. An aggregate cannot
    be a field (count with ``count_of``)."""
    values = {name: F(name) for name in names}
    for name, value in fields.items():
        values[name] = F(value) if isinstance(value, str) else value
    return Subquery(
        queryset.order_by().annotate(rows=JSONRows(JSONObject(**values))).values("rows"),
        output_field=JSONField(),
    )


def count_of(queryset: QuerySet) -> Coalesce:
    """How many rows ``queryset`` (filtered by an ``OuterRef``) has, as a subquery."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted), 0)


def sum_of(queryset: QuerySet, field: str) -> Coalesce:
    """The sum of the whole-number column ``field`` over the rows of ``queryset`` (filtered by
    an ``OuterRef``; NULLs left out), as a subquery: 0 for no rows."""
    summed = (
        queryset.order_by()
        .annotate(total=Func(F(field), function="SUM", output_field=IntegerField()))
        .values("total")
    )
    return Coalesce(Subquery(summed), 0)
