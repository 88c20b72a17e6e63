"""The `detect-secrets` command: Yelp's detect-secrets run over properties of the elements it gets.

What it finds is never shown: an element in which a secret was found carries, in its `info` section,
where (the property path) and the kind of secret, and each string that held one is replaced by a marker
in what the command passes on, so no later `dump`, `jq`, sink or log can print it.
"""

from __future__ import annotations

import copy
import functools
import re
import shlex
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cloudsift.commands.base import Command, Option, command
from cloudsift.commands.search import open_nodes
from cloudsift.context import Context
from cloudsift.errors import UsageError

if TYPE_CHECKING:
    from cloudsift.model import Model

# As Fix sets them: the entropy plugins report only strings more random than an id or a hash.
_ENTROPY_LIMITS = {"HexHighEntropyString": 5.0, "Base64HighEntropyString": 5.0}
_SEGMENT = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)(?P<indexes>(?:\[(?:\*|\d+)\])*)")
_INDEX = re.compile(r"\[(\*|\d+)\]")
# detect-secrets keeps its settings in one global: configured once, scanned one line at a time.
_SCAN_LOCK = threading.Lock()
_CONFIGURED: list[bool] = []

Step = str | int  # a key, or a list index


@dataclass(frozen=True)
class KeyOf:
    """The last step of a location that is a mapping's key itself (a secret used as a name), not its value."""

    key: str


Location = tuple[Step | KeyOf, ...]


def _marker(secret_type: str) -> str:
    return f"<secret removed: {secret_type}>"


@dataclass(frozen=True)
class Finding:
    location: Location
    secret_type: str

    def where(self, renamed: Mapping[tuple[Any, ...], str]) -> str:
        """The location as a path, each key that is a secret shown by the marker that replaced it."""
        text = ""
        for i, step in enumerate(self.location):
            key = step.key if isinstance(step, KeyOf) else step
            name = renamed.get((*self.location[:i], key), key) if isinstance(key, str) else key
            text += f"[{name}]" if isinstance(name, int) else (f".{name}" if text else name)
        return text


def parse_secret_path(text: str) -> tuple[Step | None, ...]:
    """`a.b[*].c` (in `reported`) or `/a.b` (beside it) as steps; None stands for `[*]` (every element)."""
    body = text[1:] if text.startswith("/") else text
    steps: list[Step | None] = [] if text.startswith("/") else ["reported"]
    for piece in body.split("."):
        match = _SEGMENT.fullmatch(piece)
        if match is None:
            raise UsageError(
                f"detect-secrets: {text!r} is no property path; write names joined by dots, each "
                "optionally followed by [*] or [N], e.g. container_definitions[*].environment[*].value"
            )
        steps.append(match.group("name"))
        for index in _INDEX.findall(match.group("indexes")):
            steps.append(None if index == "*" else int(index))
    return tuple(steps)


def _values_at(
    element: Any, steps: tuple[Step | None, ...], at: tuple[Step, ...] = ()
) -> Iterator[tuple[tuple[Step, ...], Any]]:
    if not steps:
        yield at, element
        return
    step, rest = steps[0], steps[1:]
    if step is None or isinstance(step, int):
        if isinstance(element, list):
            chosen = range(len(element)) if step is None else [step] if 0 <= step < len(element) else []
            for i in chosen:
                yield from _values_at(element[i], rest, (*at, i))
    elif isinstance(element, dict) and step in element:
        yield from _values_at(element[step], rest, (*at, step))


def _label(mapping: Any) -> str | None:
    """The name a name-and-value pair gives its value, as AWS writes them (`{name, value}` of a container's
    environment, `{output_key, output_value}` of a stack's outputs), or None."""
    if not isinstance(mapping, dict):
        return None
    for key, item in mapping.items():
        if isinstance(item, str) and item and re.fullmatch(r"(?:\w+_)?(?:name|key)", key.lower()):
            return item
    return None


def _strings(value: Any, at: Location, label: str | None = None) -> Iterator[tuple[Location, str]]:
    """Every string below a value, with the text to scan. A one-line string is scanned as `NAME="VALUE"`
    when it has a name (its key in a mapping, or the name of its name-and-value pair), the way variables
    are written, so a keyword in the name (PASSWORD, API_KEY) counts."""
    if isinstance(value, dict):
        pair = _label(value)
        for key, item in value.items():
            if _key_secret(key):  # a secret used as a name: the key goes, its value is scanned bare
                yield (*at, KeyOf(key)), key
                yield from _strings(item, (*at, key))
                continue
            named = pair if pair is not None and key.lower().endswith("value") else key
            yield from _strings(item, (*at, key), named)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*at, i))
    elif isinstance(value, str) and value:
        yield at, f'{label}="{value}"' if label is not None and "\n" not in value else value


def _parent(element: Any, location: tuple[Step, ...]) -> Any:
    for step in location[:-1]:
        element = element[step]
    return element


def _configure() -> None:
    from detect_secrets.settings import configure_settings_from_baseline, default_settings

    with default_settings() as settings:
        chosen = settings.json()
    chosen["plugins_used"] = [
        p | ({"limit": _ENTROPY_LIMITS[p["name"]]} if p["name"] in _ENTROPY_LIMITS else {})
        for p in chosen["plugins_used"]
    ]
    # Without the verification filter no plugin checks a secret online: nothing found is sent anywhere.
    chosen["filters_used"] = [f for f in chosen.get("filters_used", []) if "verification" not in f["path"]]
    configure_settings_from_baseline(chosen)


def secret_type(text: str) -> str | None:
    """The type of the first secret detect-secrets finds in the text (line by line), or None."""
    from detect_secrets.core.plugins import initialize
    from detect_secrets.core.scan import scan_line

    with _SCAN_LOCK:
        if not _CONFIGURED:
            _configure()
            _CONFIGURED.append(True)
        for line in text.splitlines():
            for found in scan_line(line):
                # A string scanned on its own yields every candidate; the plugin says which are secrets
                # (for the entropy plugins: those over the limit).
                if initialize.from_secret_type(found.type).format_scan_result(found).startswith("True"):
                    return str(found.type)
    return None


@functools.lru_cache(maxsize=4096)
def _key_secret(key: str) -> bool:
    """Whether a mapping's key is itself a secret; keys repeat from element to element (property
    names, tag keys), so each is scanned once."""
    return secret_type(key) is not None


def _masked(
    element: dict[str, Any], findings: list[Finding]
) -> tuple[dict[str, Any], dict[tuple[Any, ...], str]]:
    """The element with each secret replaced by its marker, and the marker of each key that was a secret
    (by its location): values first, then the keys, the deepest first (a location goes through the keys
    above it)."""
    masked = copy.deepcopy(element)
    renamed: dict[tuple[Any, ...], str] = {}
    keys_last = sorted(findings, key=lambda f: (isinstance(f.location[-1], KeyOf), -len(f.location)))
    for finding in keys_last:
        *parents, last = finding.location
        holder: Any = masked
        for step in parents:
            holder = holder[step]
        if isinstance(last, KeyOf):
            marker, n = _marker(finding.secret_type), 1
            while marker in holder:  # two secret keys in one mapping: both kept, neither shown
                n += 1
                marker = f"{_marker(finding.secret_type)[:-1]} {n}>"
            holder[marker] = holder.pop(last.key)
            renamed[(*parents, last.key)] = marker
        else:
            holder[last] = _marker(finding.secret_type)
    return masked, renamed


@command
class DetectSecretsCommand(Command):
    """Find secrets in properties with Yelp's detect-secrets; `--with-secrets` keeps only those elements.

    `--path P …` (one or more, `--path` may be repeated) names the properties to scan, as in a search
    (`instance_user_data`, `container_definitions[*].environment[*].value`, `/id` beside `reported`);
    without it the whole `reported` section is scanned; a path naming no property of the model is an
    error, as in a search. Every string below a path is scanned line by
    line; one with a name (its key, or the name of its `{name, value}` or `{output_key, output_value}`
    pair) as `NAME="VALUE"`, so a variable called DB_PASSWORD counts. An element with a secret passes on with
    `info: {secret_detected, secret_type, found_at}` and each string that held a secret replaced by
    `<secret removed: TYPE>` (a mapping's key that is a secret too): the secret itself is never shown. Without `--with-secrets` the other
    elements pass on unchanged. The entropy plugins report only strings of entropy 5 or more, as Fix
    sets them; nothing is verified online.

    Example: `search is(aws_ec2_instance) and instance_user_data!=null | detect-secrets --path instance_user_data --with-secrets`
    """

    name = "detect-secrets"
    options = (
        Option("--path", "property paths to scan (one or more; may be repeated); default: all of reported"),
        Option("--with-secrets", "keep only the elements in which a secret was found", bool),
    )
    positional = ""

    def parse(self, raw: str) -> None:
        try:
            words = shlex.split(raw)
        except ValueError as e:
            raise UsageError(f"{self.name}: {e}") from None
        self.paths: list[tuple[Step | None, ...]] = []
        self.path_texts: list[str] = []
        self.with_secrets = False
        i = 0
        while i < len(words):
            word = words[i]
            if word == "--with-secrets":
                self.with_secrets = True
                i += 1
            elif word == "--path":
                given = 0
                i += 1
                while i < len(words) and not words[i].startswith("--"):
                    self.paths.append(parse_secret_path(words[i]))
                    self.path_texts.append(words[i])
                    given += 1
                    i += 1
                if not given:
                    raise UsageError(
                        f"{self.name}: --path needs a property path, e.g. --path instance_user_data"
                    )
            else:
                raise UsageError(
                    f"{self.name}: unexpected {word!r}; it takes --path P [P …] and --with-secrets"
                )
        self.paths = self.paths or [("reported",)]

    def gives(self, given: str | None) -> str | None:
        return given  # the elements it gets (marked, the secret removed), or some of them

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        self._check_paths(ctx)
        for element in open_nodes(stream):
            findings = self._findings(element)
            if findings and isinstance(element, dict):
                marked, renamed = _masked(element, findings)
                first = findings[0]
                marked["info"] = {"secret_detected": True, "secret_type": first.secret_type,
                                  "found_at": [f.where(renamed) for f in findings]}  # fmt: skip
                yield marked
            elif findings:  # a bare string with a secret: only what was found, never the string
                yield {"info": {"secret_detected": True, "secret_type": findings[0].secret_type}}
            elif not self.with_secrets:
                yield element

    def _check_paths(self, ctx: Context) -> None:
        if self.path_texts:
            self.check_paths(ctx.store.model, ctx.store.extra_properties())

    def check_paths(self, model: Model, extra: Iterable[str] = ()) -> None:
        """A path naming no property of the model is refused, as in a search: a typo would otherwise scan
        nothing and let every element pass as clean."""
        from cloudsift.query.ast import Path
        from cloudsift.query.binder import Binder

        for text in self.path_texts:
            if text != "/reported":
                Binder(model, extra, None, text).resolve(Path.of(text))

    def _findings(self, element: Any) -> list[Finding]:
        if not isinstance(element, dict):
            found = secret_type(element) if isinstance(element, str) else None
            return [Finding((), found)] if found else []
        findings: list[Finding] = []
        seen: set[Location] = set()
        for path in self.paths:
            for at, value in _values_at(element, path):
                # a path that ends at a pair's value (environment[*].value) keeps the pair's name
                label = _label(_parent(element, at)) if at and str(at[-1]).lower().endswith("value") else None
                for location, text in _strings(value, at, label):
                    if location in seen:
                        continue
                    found = secret_type(text)
                    if found:
                        seen.add(location)
                        findings.append(Finding(location, found))
        return findings
