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
        expr: Expr | None = None
        for i, step in enumerate(path.steps):
            expr = (
                self.d.top_property(step.name, step.type, self.terms.params)
                if expr is None
                else self.d.field(expr, step.name, step.type, self.terms.params)
            )
            item = step.type.item if isinstance(step.type, ListOf) else None
            if isinstance(step.index, int):
                expr = self.d.index(expr, step.index, item)
            elif step.index == "*":
                key = path.steps[: i + 1]
                if key not in self._elements:
                    alias = f"{self.prefix}{len(self._elements)}"
                    join, self._elements[key] = self.d.unnest_join(expr, alias, item)
                    self.joins += join
                expr = self._elements[key]
        assert expr is not None
        return self._leaf(path, expr, text)

    def _leaf(self, path: Resolved, x: Expr, text: bool) -> str:
        """The group's value as sorting has it (typed, untyped by text), or as a template's text."""
        typ = path.leaf_type
        if not isinstance(typ, Scalar):
            return self.d.untyped_text(x) if text else self.d.sort_text(x)
        value = self.d.typed_value(x, typ)
        if text:
            return self.d.text_of(value, typ)
        return self.d.string_compare(value) if typ.name == "string" else value


def function_sql(terms: TermCompiler, fn: BAggregateFunction) -> str:
    argument = fn.argument
    if isinstance(argument, int | float):
        if fn.function == "count":
            return "count(*)"
        if fn.function == "sum":
            return f"count(*) * {_number_param(terms, argument)}"
        return f"{fn.function}({_number_param(terms, argument)})"
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
        typ = path.leaf_type
        if isinstance(typ, Scalar):
            found.append(terms.d.typed_value(x, typ))
        else:
            found.append(
                f"(CASE WHEN {terms.d.json_category(x, 'number')} THEN {terms.d.json_value(x, 'number')} END)"
            )
        return "true"

    terms.over_values(path, None, "any", capture)
    return found[0]
