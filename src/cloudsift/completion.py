"""What Tab offers in the shell: commands, sub-commands, options, job ids, kinds, and property paths
(nested ones through structs and lists, the properties of the kind being searched first), run ids after
`workflows log`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document

from cloudsift.commands import COMMANDS
from cloudsift.model import MODEL, Model
from cloudsift.model.types import ListOf, Prop, PropType, Struct

_WORD = re.compile(r"[A-Za-z0-9_\-./`\[\]*]*$")
_IS = re.compile(r"\bis\(\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)")
_ALWAYS = ("kind", "age", "cloud", "account", "region", "id", "name")
# Sub-commands whose next word is a job id.
_JOB_ACTIONS = {"show", "run", "update", "delete", "activate", "deactivate", "history"}


def sub_commands(command: str) -> list[str]:
    """The words a command takes first, read from its usage line (`add|update|list …`)."""
    if command not in COMMANDS:
        return []
    first = COMMANDS.get(command).positional.split(" ")[0]
    return re.findall(r"[a-z][a-z_]*", first) if "|" in first else []


def nested(model: Model, path: str, extra: Iterable[str] = ()) -> list[str]:
    """Completions of a property path: `group_ip_permissions[*].ip_pro` offers the struct's fields."""
    head, dot, _ = path.rpartition(".")
    if not dot:
        return sorted({*model.properties, *extra})
    parts = head.split(".")
    current: PropType | None = model.property_type(re.sub(r"\[.*?\]$", "", parts[0]))
    for part in parts[1:]:
        current = _field(_item(current), re.sub(r"\[.*?\]$", "", part))
    current = _item(current) if head.endswith("]") else current
    if isinstance(current, ListOf) and isinstance(_item(current), Struct):
        return [f"{head}[*].{f.name}" for f in _fields(_item(current))]
    return [f"{head}.{f.name}" for f in _fields(current)]


def _item(kind: PropType | None) -> PropType | None:
    return kind.item if isinstance(kind, ListOf) else kind


def _field(kind: PropType | None, name: str) -> PropType | None:
    if isinstance(kind, Struct):
        prop = kind.field(name)
        return prop.type if prop else None
    return None


def _fields(kind: PropType | None) -> list[Prop]:
    return list(kind.fields) if isinstance(kind, Struct) else []


class LineCompleter(Completer):
    """Commands at the start of a pipe, then sub-commands, options, job ids, kinds and properties."""

    def __init__(self, extra_properties: Iterable[str] = (), job_ids: Callable[[], list[str]] = list,
                 run_ids: Callable[[], list[str]] = list) -> None:  # fmt: skip
        self.model = MODEL
        self.kinds = sorted(MODEL.kinds)
        self.extra = sorted({*extra_properties, *_ALWAYS})
        self.job_ids = job_ids
        self.run_ids = run_ids

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        text = document.text_before_cursor
        word = _WORD.search(text)
        prefix = word.group(0) if word else ""
        before = text[: len(text) - len(prefix)]
        segment = re.split(r"[|;]", before)[-1]
        words = segment.split()
        for candidate in self._candidates(prefix, before, segment, words):
            if candidate.startswith(prefix) and candidate != prefix:
                yield Completion(candidate, start_position=-len(prefix))

    def _candidates(self, prefix: str, before: str, segment: str, words: list[str]) -> Iterable[str]:
        if not words:
            return list(COMMANDS)
        command = words[0]
        if prefix.startswith("-"):
            return [o.name for o in COMMANDS.get(command).options] if command in COMMANDS else []
        if len(words) == 1 and sub_commands(command):
            return sub_commands(command)
        if command == "jobs" and len(words) == 2 and words[1] in _JOB_ACTIONS:
            return self._ids(self.job_ids)
        if command == "workflows" and words[1:] == ["log"]:
            return self._ids(self.run_ids)
        if re.search(r"is\(\s*(\[?\s*[\w,\s]*)$", before):
            return self.kinds
        if "." in prefix:
            return nested(self.model, prefix, self.extra)
        searched = _IS.findall(segment)
        if searched and all(k in self.model.kinds for k in searched):
            kinds = {sub for k in searched for sub in (k, *self.model.subkinds(k))}
            own = sorted({p.name for k in kinds for p in self.model.props_of(k)})
            return [*own, *[p for p in self.extra if p not in own]]
        return sorted({*self.model.properties, *self.extra})

    def _ids(self, ids: Callable[[], list[str]]) -> list[str]:
        try:
            return ids()
        except Exception:  # completion never breaks the prompt: no ids to offer then
            return []
