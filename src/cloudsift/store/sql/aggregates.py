"""Aggregate functions to SQL: sum/count/min/max/avg of a number, a property or arithmetic.

Fix's rules (AQL's): sum() of nothing is 0; inside arithmetic a missing operand counts as 0; dividing
by 0 gives null (which the function then skips)."""

from __future__ import annotations

from cloudsift.model import Scalar
from cloudsift.query.binder import BAggregateFunction, BOperand, Resolved
from cloudsift.store.sql.dialect import Expr
from cloudsift.store.sql.terms import TermCompiler


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
