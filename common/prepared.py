"""Queries of one shape compiled once per process.

A page that reads its object on every request makes the ORM build and compile the same query
each time; for a plan read with its call, course, programs, host and checks (9 tables, 103
columns) that is 1.8 ms of CPU for a query PostgreSQL answers in 0.2. A `PreparedQuery`
builds and compiles it once per process, then each read puts its own values into that SQL,
on the database the query was built for, and makes its objects as Django's QuerySet would
(select_related, annotations, each column's converter).

`build(**values)` must depend on its values only (never on the time, the language or a
request): it is built twice with different stand-in values, and any other parameter that
differs between the two, or a stand-in that does not appear exactly once, refuses it
(ImproperlyConfigured). Values are integer ids, a list of them, or None (passed to `build` as
is; the list's length and a None are part of the query's shape).
"""

import copy
from itertools import count

from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models.query import MAX_GET_RESULTS, ModelIterable, QuerySet

# Stand-ins for the values while compiling: negative ids no row has, within a 32-bit column
# (a value outside an integer column's range is no lookup at all: Django drops it).
FIRST_STAND_IN = -2_100_000_000
ID_RANGE = (-(2**63), 2**63 - 1)  # what any database's integer column can hold


class PreparedQuery:
    def __init__(self, build):
        self.build = build
        self._compiled = {}

    def get(self, **values):
        """The one object `build(**values)` finds; the model's DoesNotExist when none (and
        MultipleObjectsReturned when more), as QuerySet.get()."""
        compiled = self._compiled_for("get", values)
        objects = compiled.run(values) if compiled else []
        if len(objects) == 1:
            return objects[0]
        model = self.build(**values).model if compiled is None else compiled.model
        if not objects:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model.__name__}.")

    def all(self, **values):
        """Every object of `build(**values)`, in its order."""
        return self.part(None, None, **values)

    def part(self, start, stop, **values):
        """The objects `start` to `stop` (from 0; `stop` left out) of `build(**values)`, in
        its order: a page of a list (compiled once per page and shape)."""
        compiled = self._compiled_for(("part", start, stop), values)
        return compiled.run(values) if compiled else []

    def _compiled_for(self, reading, values):
        """The compiled query of `reading` ("get", or a part: ("part", start, stop)) for the
        shape of `values`; None when nothing can be found (an empty list of ids, an id past
        any integer column)."""
        shape = [reading]
        for name, value in sorted(values.items()):
            ids = value if isinstance(value, list | tuple) else [] if value is None else [value]
            if any(not ID_RANGE[0] <= id <= ID_RANGE[1] for id in ids):
                return None  # no row has it (and SQLite refuses it)
            if isinstance(value, list | tuple):
                if not value:
                    return None
                shape.append((name, len(value)))
            else:
                shape.append((name, None if value is None else "id"))
        shape = tuple(shape)
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compiled[shape] = _Compiled(self.build, values, reading)
        return compiled


class _Compiled:
    """The compiled query of one shape: its SQL, what each of its parameters is (a value's
    place, or the same constant in every query of the shape), and the compiler as it stood
    after compiling (the columns, the models of select_related, the annotations)."""

    def __init__(self, build, values, reading):
        first, second = _stand_ins(values, 0), _stand_ins(values, 1)
        queryset, compiler = _compiled_query(build, first, reading)
        sql, params = compiler.as_sql()
        other_sql, other_params = _compiled_query(build, second, reading)[1].as_sql()
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured(f"{build!r} builds queries of other shapes for its values.")
        places = {stand_in: place for place, stand_in in _flat(first)}
        pairs = set(_flat(second))
        self.parameters, used = [], set()
        for param, other in zip(params, other_params, strict=True):
            place = places.get(param) if type(param) is int else None
            if place is not None and (place, other) in pairs and place not in used:
                used.add(place)
                self.parameters.append(("value", place))
            elif param == other and type(param) is type(other) and place is None:
                self.parameters.append(("constant", param))
            else:
                raise ImproperlyConfigured(f"{build!r}: parameter {param!r} is not one value.")
        if used != set(places.values()):
            raise ImproperlyConfigured(f"{build!r} leaves out a value (or Django dropped it).")
        self.sql, self.queryset, self.compiler = sql, queryset, compiler
        self.model = queryset.model
        # What turns each column's value into Python (the fields' from_db_value): found
        # for every column of every query otherwise.
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        self.converters = compiler.get_converters(columns)

    def run(self, values):
        params = [
            _value_at(values, what) if kind == "value" else what for kind, what in self.parameters
        ]
        # Django's own reading of rows into objects, with a copy of the compiler as it stood
        # after compiling, whose SQL is this one.
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[self.queryset.db]
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        compiler.get_converters = lambda expressions: self.converters
        query = copy.copy(self.queryset.query)
        query.get_compiler = lambda *args, **kwargs: compiler
        return list(ModelIterable(QuerySet(self.model, query=query, using=self.queryset.db)))


def _compiled_query(build, values, reading):
    """(queryset, compiler) of `build(**values)`: for "get" read as get() reads it (unordered,
    21 at most), for ("part", start, stop) those objects."""
    queryset = build(**values)
    if queryset._prefetch_related_lookups or queryset._known_related_objects:
        raise ImproperlyConfigured("A prepared query reads its own rows only.")
    if reading == "get":
        queryset = queryset.order_by()
        queryset.query.set_limits(high=MAX_GET_RESULTS)
    else:
        _part, start, stop = reading
        queryset.query.set_limits(low=start, high=stop)
    return queryset, queryset.query.get_compiler(using=queryset.db)


def _stand_ins(values, variant):
    """`values` with a distinct stand-in for each id (two variants: two sets of stand-ins)."""
    numbers = count(FIRST_STAND_IN - variant * 1_000)
    return {
        name: (
            None
            if value is None
            else [next(numbers) for _ in value]
            if isinstance(value, list | tuple)
            else next(numbers)
        )
        for name, value in sorted(values.items())
    }


def _flat(values):
    """((name, index or None), stand-in) for every id in `values`."""
    for name, value in values.items():
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield (name, index), item
        elif value is not None:
            yield (name, None), value


def _value_at(values, place):
    name, index = place
    return values[name] if index is None else values[name][index]


def keep_as_prefetched(instance, relation, objects):
    """Keep `objects` on `instance` as prefetch_related() keeps a relation's rows:
    `instance.<relation>.all()` answers them without a query (and each of them knows
    `instance` for a foreign key to it). For rows read by a PreparedQuery of the relation's
    own filter and order."""
    manager = getattr(instance, relation)
    rows = manager.get_queryset()
    rows._result_cache, rows._prefetch_done = list(objects), True
    field = getattr(manager, "field", None)  # a foreign key of the rows (not many-to-many)
    if field is not None:
        for row in rows._result_cache:
            field.set_cached_value(row, instance)
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = rows
