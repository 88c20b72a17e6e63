"""Aggregate functions to SQL: sum/count/min/max/avg of a number, a property or arithmetic.

Fix's rules (AQL's): sum() of nothing is 0; inside arithmetic a missing operand counts as 0; dividing
by 0 gives null (which the function then skips)."""

from __future__ import annotations

from cloudsift.model import ListOf, Scalar
from cloudsift.query.binder import (
    BAggregate,
    BAggregateFunction,
    BAggregateVariable,
    BOperand,
    Resolved,
    Step,
)
from cloudsift.store.sql.dialect import Expr
from cloudsift.store.sql.terms import TermCompiler


class Groups:
    """The SQL of an aggregate's groups: the joins that unfold the lists its paths go through ([*]: one
    row per element, the paths sharing a list sharing its element, as in Fix) and one expression per group."""

    def __init__(self, terms: TermCompiler, spec: BAggregate, prefix: str) -> None:
        self.terms = terms
        self.d = terms.d
        self.prefix = prefix
        self.joins = ""
        self._elements: dict[tuple[Step, ...], Expr] = {}
        self._aliases = 0
        self.columns = [self._variable(v) for v in spec.group]

    def _variable(self, variable: BAggregateVariable) -> str:
        if variable.path is not None:
            return self._value(variable.path, text=False)
        pieces = [
            f"CAST({self.terms.params.add(p)} AS VARCHAR)"
            if isinstance(p, str)
            else f"coalesce({self._value(p, text=True)}, '')"
            for p in variable.template
        ]
        return self.d.string_compare("(" + " || ".join(pieces) + ")")

    def _value(self, path: Resolved, text: bool) -> str:
        if not any(step.index == "*" for step in path.steps):
            found: list[Expr] = []

            def capture(x: Expr) -> str:
                found.append(x)
                return "true"

            self.terms.over_values(path, None, "any", capture)
            return self._leaf(path, found[0], text)
        joins, expr = self._unfold(path.steps, None, (), self._elements)
        self.joins += joins
        return self._leaf(path, expr, text)

    def _unfold(
        self,
        steps: tuple[Step, ...],
        expr: Expr | None,
        before: tuple[Step, ...],
        shared: dict[tuple[Step, ...], Expr],
    ) -> tuple[str, Expr]:
        """The joins that open the steps' lists (the ones in `shared` are open already: their element) and
        the expression of the last step's value; `expr` is where the steps start (None: the node)."""
        joins = ""
        for i, step in enumerate(steps):
            expr = (
                self.d.top_property(step.name, step.type, self.terms.params)
                if expr is None
                else self.d.field(expr, step.name, step.type, self.terms.params)
            )
            item = step.type.item if isinstance(step.type, ListOf) else None
            if isinstance(step.index, int):
                expr = self.d.index(expr, step.index, item)
            elif step.index == "*":
                key = (*before, *steps[: i + 1])
                if key not in shared:
                    self._aliases += 1
                    join, shared[key] = self.d.unnest_join(expr, f"{self.prefix}{self._aliases}", item)
                    joins += join
                expr = shared[key]
        assert expr is not None
        return joins, expr

    def through_lists(self, fn: BAggregateFunction, path: Resolved) -> str:
        """A function of a path through lists, as Fix computes it: per row the function of the values the
        path reaches from the elements the row shares with the groups, then the function of the rows'
        results (a count adds the rows' counts up)."""
        start = max((k for k in self._elements if path.steps[: len(k)] == k), key=len, default=())
        own = dict(self._elements)  # the row's own elements; the subquery opens the rest
        joins, x = self._unfold(path.steps[len(start) :], self._elements.get(start), start, own)
        typ = path.leaf_type
        if fn.function in ("sum", "avg"):
            value = _number(self.terms, x, typ)
        elif fn.function == "count" and not isinstance(typ, Scalar):
            value = f"(CASE WHEN {self.d.is_null(x)} THEN NULL ELSE 1 END)"
        elif isinstance(typ, Scalar):
            value = self.terms.typed(x, typ)
        else:
            value = self.d.sort_text(x)
        if joins:
            inner = {"sum": f"coalesce(sum({value}), 0)"}.get(fn.function, f"{fn.function}({value})")
            row = f"(SELECT {inner} FROM (SELECT 1) AS {self.prefix}r{self._aliases}{joins})"
        else:  # the row's element holds the one value
            row = {
                "sum": f"coalesce({value}, 0)",
                "count": f"(CASE WHEN {value} IS NULL THEN 0 ELSE 1 END)",
            }.get(fn.function, value)
        if fn.function in ("sum", "count"):
            return f"coalesce(sum({row}), 0)"
        return f"{fn.function}({row})"

    def _leaf(self, path: Resolved, x: Expr, text: bool) -> str:
        """The group's value as sorting has it (typed, untyped by text), or as a template's text."""
        typ = path.leaf_type
        if not isinstance(typ, Scalar):
            return self.d.untyped_text(x) if text else self.d.sort_text(x)
        value = self.d.typed_value(x, typ)
        if text:
            return self.d.text_of(value, typ)
        return self.d.string_compare(value) if typ.name == "string" else value


def function_sql(terms: TermCompiler, fn: BAggregateFunction, groups: Groups) -> str:
    argument = fn.argument
    if isinstance(argument, Resolved) and any(step.index == "*" for step in argument.steps):
        return groups.through_lists(fn, argument)
    if isinstance(argument, int | float):
        if fn.function == "count":
            return "count(*)"
        if fn.function == "sum":
            return f"count(*) * {_number_param(terms, argument)}"
        return f"{fn.function}({_number_param(terms, argument)})"
    if (
        isinstance(argument, Resolved)
        and fn.function == "count"
        and not isinstance(argument.leaf_type, Scalar)
    ):
        return f"count({_present(terms, argument)})"
    if isinstance(argument, Resolved) and fn.function in ("count", "min", "max"):
        return f"{fn.function}({terms.sort_key(argument)})"
    value = number_sql(terms, argument)
    if fn.function == "sum":
        return f"coalesce(sum({value}), 0)"
    return f"{fn.function}({value})"


def number_sql(terms: TermCompiler, operand: BOperand) -> str:
    """The operand's number per node, NULL when missing (or not a number, in untyped JSON)."""
    if operand is None:
        return terms.d.fraction("NULL")
    if isinstance(operand, int | float):
        return _number_param(terms, operand)
    if isinstance(operand, Resolved):
        return _property_number(terms, operand)
    left = f"coalesce({number_sql(terms, operand.left)}, 0)"
    right = f"coalesce({number_sql(terms, operand.right)}, 0)"
    if operand.op in ("+", "-", "*"):
        return f"({left} {operand.op} {right})"
    if operand.op == "/":
        return f"({terms.d.fraction(left)} / NULLIF({right}, 0))"
    return f"({left} {terms.d.modulo} NULLIF({right}, 0))"


def _number_param(terms: TermCompiler, value: int | float) -> str:
    return terms.d.number_param(terms.params.add(value), isinstance(value, int))


def _property_number(terms: TermCompiler, path: Resolved) -> str:
    found: list[str] = []

    def capture(x: Expr) -> str:
        found.append(_number(terms, x, path.leaf_type))
        return "true"

    terms.over_values(path, None, "any", capture)
    return found[0]


def _present(terms: TermCompiler, path: Resolved) -> str:
    """1 where an untyped value is present (any JSON value but null), else NULL: what count() counts."""
    found: list[str] = []

    def capture(x: Expr) -> str:
        found.append(f"(CASE WHEN {terms.d.is_null(x)} THEN NULL ELSE 1 END)")
        return "true"

    terms.over_values(path, None, "any", capture)
    return found[0]


def _number(terms: TermCompiler, x: Expr, typ: object) -> str:
    """A value as a number: typed, or an untyped JSON number (anything else NULL)."""
    if isinstance(typ, Scalar):
        return terms.d.typed_value(x, typ)
    return f"(CASE WHEN {terms.d.json_category(x, 'number')} THEN {terms.d.json_value(x, 'number')} END)"
