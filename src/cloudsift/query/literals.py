"""Literals: coercion to a property's type, date/time arithmetic and the regular expressions every engine reads alike.

A regular expression runs in three engines: Python (the reference evaluator), RE2 (DuckDB) and
PostgreSQL's ARE. Only the part of the syntax they agree on is accepted; anything else is refused
here, with its position in the pattern, instead of failing (or meaning something else) in one engine.
"""

from __future__ import annotations

import datetime as dt
import re

# Escapes that mean the same in all three engines (letters; punctuation after a backslash is literal).
_ESCAPE_LETTERS = frozenset("dDwWsStnrfvA")
_REPEAT = re.compile(r"\{(\d+)(,(\d*))?\}")
MAX_REPEAT = 255  # PostgreSQL's limit for {n,m}; RE2's is 1000
_GROUP_HINTS = {
    "(?=": "lookahead",
    "(?!": "negative lookahead",
    "(?<=": "lookbehind",
    "(?<!": "negative lookbehind",
    "(?>": "an atomic group",
    "(?P": "a named group",
    "(?<": "a named group",
    "(?(": "a conditional",
}
_ESCAPE_HINTS = {
    "b": "\\b (a word boundary in Python and RE2, a backspace in PostgreSQL)",
    "B": "\\B (not a word boundary)",
    "Z": "\\Z (write $)",
    "z": "\\z (write $)",
    "u": "\\u (a unicode escape; write the character itself)",
    "g": "\\g (a back-reference)",
    "k": "\\k (a back-reference)",
}


class RegexError(ValueError):
    """A pattern outside the common subset; `offset` is where in the pattern."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.offset = offset


def check_regex(pattern: str) -> None:
    """Refuse what Python, RE2 and PostgreSQL do not all read the same way."""
    i, in_class = 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            _check_escape(pattern, i)
            i += 4 if pattern[i + 1 : i + 2] == "x" else 2
            continue
        if in_class:
            if ch == "[" and pattern[i + 1 : i + 2] in (":", "=", "."):
                raise RegexError("POSIX classes such as [[:alpha:]] are not read alike: use [a-zA-Z]", i)
            if ch == "]":
                in_class = False
        elif ch == "[":
            in_class = True
            i += 1
            if pattern[i : i + 1] == "^":
                i += 1
            if pattern[i : i + 1] == "]":  # a leading ] is a literal in the class
                i += 1
            continue
        elif ch == "(" and pattern[i + 1 : i + 2] == "?" and pattern[i + 2 : i + 3] != ":":
            hint = next((v for k, v in _GROUP_HINTS.items() if pattern.startswith(k, i)), "inline flags")
            raise RegexError(f"{hint} is not supported by every engine: =~ is already case-insensitive", i)
        elif ch == "{":
            _check_repeat(pattern, i)
        elif ch in "*+?}" and pattern[i + 1 : i + 2] == "+":
            raise RegexError("possessive quantifiers (*+ ++ ?+) are not supported by every engine", i + 1)
        i += 1


def _check_escape(pattern: str, i: int) -> None:
    following = pattern[i + 1 : i + 2]
    if not following:
        raise RegexError("the pattern ends in a lone backslash", i)
    if following.isdigit():
        raise RegexError(f"back-references (\\{following}) are not supported by every engine", i)
    if following in _ESCAPE_HINTS:
        raise RegexError(f"{_ESCAPE_HINTS[following]} is not read alike by every engine", i)
    if following == "x":
        if not re.fullmatch(r"[0-9A-Fa-f]{2}", pattern[i + 2 : i + 4]):
            raise RegexError("\\x needs two hex digits: \\x41", i)
        return
    if following.isalnum() and following not in _ESCAPE_LETTERS:
        raise RegexError(f"unknown escape \\{following}", i)
    if not following.isalnum() and not following.isprintable():
        raise RegexError("a backslash before a control character", i)


def _check_repeat(pattern: str, i: int) -> None:
    match = _REPEAT.match(pattern, i)
    if match is None:
        raise RegexError("a literal { needs a backslash: \\{ (a repetition is {n}, {n,} or {n,m})", i)
    low, high = int(match.group(1)), match.group(3)
    if low > MAX_REPEAT or (high and int(high) > MAX_REPEAT):
        raise RegexError(f"a repetition count is at most {MAX_REPEAT}", i)


def shifted(now: dt.datetime, seconds: float) -> dt.datetime:
    """now + seconds; OverflowError when the result is outside the years 1-9999."""
    try:
        return now + dt.timedelta(seconds=seconds)
    except (OverflowError, ValueError):
        raise OverflowError("outside the years 1 to 9999") from None


def parse_datetime(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time; without a zone it is UTC."""
    value = dt.datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(f"{text} is outside the years 1 to 9999 in UTC") from None
