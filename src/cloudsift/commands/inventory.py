"""Commands about the inventory itself: import, kinds, kind, help."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from cloudsift.commands.base import COMMANDS, Command, Context, Option, command, command_summary
from cloudsift.errors import UsageError
from cloudsift.model import ListOf, PropType, Struct


@command
class ImportCommand(Command):
    """Import a graph in Resoto's merge format (JSON Lines): node and edge lines; a Fix Inventory export too.

    Every line is checked first; one bad line imports nothing and names its line number.
    `--replace` replaces everything the file's clouds held before. `import -` reads stdin.
    A graph exported by Fix Inventory's worker imports as it is: a kind cloudsift does not model comes
    in as a generic resource (its kind kept, searchable with `is(KIND)`, named in a warning, a property
    whose value does not fit cloudsift's type for that name left out); a node id given twice keeps its
    last line; an edge without `edge_type` is a default edge; deferred-edge lines (`from_selector`,
    `to_selector`: a `node_id` or a `search_criteria`) become edges once the nodes are in, and those
    that find no node are listed.

    Example: `import estate.jsonl --replace`
    """

    name = "import"
    source = True
    formatter = True
    positional = "PATH|-"
    options = (Option("--replace", "Replace what the file's clouds held before.", bool, False),)

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if len(self.rest) != 1:
            raise UsageError("import needs one file (or - for standard input)")
        target = self.rest[0]
        if target == "-":
            if ctx.served:
                raise UsageError(
                    "import - reads standard input, which the server cannot see: give a file path"
                )
            summary = ctx.store.import_lines(sys.stdin.buffer, replace=self.args["replace"])
        else:
            path = ctx.cwd / Path(target).expanduser()  # relative to where the line was typed
            if not path.is_file():
                raise UsageError(f"import: no such file {target}")
            summary = ctx.store.import_file(path, replace=self.args["replace"])
        yield str(summary)


def _type_name(typ: PropType) -> str:
    if isinstance(typ, ListOf):
        return f"{_type_name(typ.item)}[]"
    return str(typ)


def _structs(typ: PropType, found: dict[str, Struct]) -> None:
    if isinstance(typ, ListOf):
        _structs(typ.item, found)
    elif isinstance(typ, Struct) and typ.name not in found:
        found[typ.name] = typ
        for field in typ.fields:
            _structs(field.type, found)


@command
class KindsCommand(Command):
    """List the kinds of the data model with their base kinds, each AWS service's kinds below its name.
    The kinds no service collects (base kinds, the account and its regions) come first; a kind two services
    collect is below each. `--markdown` writes the reference. `kinds NAME` shows one kind, as `kind NAME` does.

    Example: `kinds`
    """

    name = "kinds"
    source = True
    formatter = True
    positional = "[NAME]"
    options = (Option("--markdown", "The whole model as a markdown reference.", bool, False),)

    def parse(self, raw: str) -> None:
        super().parse(raw)
        if len(self.rest) > 1:
            raise UsageError("kinds takes at most one kind name: kinds aws_ec2_instance")

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if self.rest:
            yield from KindCommand(self.raw).run(ctx, stream)
            return
        model = ctx.store.model if ctx._store is not None else _model()
        if self.args["markdown"]:
            yield "# Data model\n"
            for name in sorted(model.kinds):
                yield from _kind_markdown(name)
            return
        by_service = _kinds_by_service()
        collected = {kind for kinds in by_service.values() for kind in kinds}
        for name in sorted(model.kinds):
            if name != "graph_root" and name not in collected:
                yield _kind_line(model, name)
        for service, kinds in sorted(by_service.items()):
            yield f"collected by the AWS service {service}:"
            yield from (f"  {_kind_line(model, name)}" for name in sorted(kinds) if name in model.kinds)


def _kind_line(model: Any, name: str) -> str:
    bases = ", ".join(model.kinds_of(name)[1:])
    return f"{name}{' (abstract)' if model.kinds[name].abstract else ''}{': ' + bases if bases else ''}"


def _kinds_by_service() -> dict[str, tuple[str, ...]]:
    """Each AWS service's name and the kinds it collects."""
    import cloudsift.collect.aws  # noqa: F401  (registers the services)
    from cloudsift.collect.aws.service import SERVICES

    return {name: service.kinds for name, service in SERVICES.items() if service.kinds}


def _model() -> Any:
    from cloudsift.model import MODEL

    return MODEL


def _kind_markdown(name: str) -> Iterator[str]:
    model = _model()
    kind = model.kind(name)
    yield f"## {name}\n"
    if kind.doc:
        yield kind.doc + "\n"
    bases = model.kinds_of(name)[1:]
    if bases:
        yield f"Base kinds: {', '.join(f'`{b}`' for b in bases)}\n"
    props = model.props_of(name)
    if props:
        yield "| property | type | description |"
        yield "|---|---|---|"
        for prop in props:
            yield f"| `{prop.name}` | {_type_name(prop.type)} | {prop.doc} |"
        for untyped in kind.untyped:
            yield f"| `{untyped}` | JSON | Kept as AWS wrote it: searchable, not typed. |"
        yield ""
    structs: dict[str, Struct] = {}
    for prop in props:
        _structs(prop.type, structs)
    for struct in structs.values():
        yield (
            f"`{struct.name}`: " + ", ".join(f"`{f.name}` {_type_name(f.type)}" for f in struct.fields) + "\n"
        )


def _sources(kind: str) -> dict[str, str]:
    """Where each property of a collected kind comes from ("" names its collecting service)."""
    from cloudsift.collect.aws.declare import ACCOUNT_DECLARED, DECLARED, declared_kinds

    declared_kinds()
    if kind == "aws_account":  # the properties services write on the account's node
        services = ", ".join(dict.fromkeys(service for _, service in ACCOUNT_DECLARED))
        return {
            "": services,
            **{p: s for declared, _ in ACCOUNT_DECLARED for p, s in declared.sources().items()},
        }
    if kind not in DECLARED:
        return {}
    declaration, service = DECLARED[kind]
    return {"": service, **declaration.sources()}


@command
class KindCommand(Command):
    """Show one kind: its base kinds and every property with its type; for a collected kind, the API call
    and the field of its answer that each property comes from.

    Example: `kind aws_ec2_security_group`
    """

    name = "kind"
    source = True
    formatter = True
    positional = "NAME"
    options = (Option("--markdown", "As markdown.", bool, False),)

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if len(self.rest) != 1:
            raise UsageError("kind needs one kind name: kind aws_ec2_instance")
        model = _model()
        kind = model.kind(self.rest[0])
        if self.args["markdown"]:
            yield from _kind_markdown(kind.name)
            return
        yield f"{kind.name}: {kind.doc}" if kind.doc else kind.name
        bases = model.kinds_of(kind.name)[1:]
        if bases:
            yield f"  base kinds: {', '.join(bases)}"
        structs: dict[str, Struct] = {}
        sources = _sources(kind.name)
        for prop in model.props_of(kind.name):
            source = f"  <- {sources[prop.name]}" if prop.name in sources else ""
            yield f"  {prop.name}: {_type_name(prop.type)}" + (f"  # {prop.doc}" if prop.doc else "") + source
            _structs(prop.type, structs)
        for untyped in kind.untyped:
            source = f"  <- {sources[untyped]}" if untyped in sources else ""
            yield f"  {untyped}: JSON  # kept as AWS wrote it: searchable, not typed" + source
        if sources:
            yield f"  collected by the AWS service {sources['']!r}; <- names the API call and the answer's field"
        for struct in structs.values():
            yield (
                f"  {struct.name}: {{"
                + ", ".join(f"{f.name}: {_type_name(f.type)}" for f in struct.fields)
                + "}"
            )


@command
class HelpCommand(Command):
    """Show the commands, or one command's help.

    Example: `help search`
    """

    name = "help"
    source = True
    formatter = True
    positional = "[COMMAND]"

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        if not self.rest:
            yield "Commands (join them with |, separate lines with ;):"
            for name in COMMANDS:
                yield f"  {name:<10} {command_summary(name)}"
            yield "help COMMAND shows one command."
            return
        cls = COMMANDS.get(self.rest[0])
        usage = " ".join(
            filter(
                None,
                [
                    cls.name,
                    *(f"[{o.name}{'' if o.kind is bool else ' ' + o.dest.upper()}]" for o in cls.options),
                    cls.positional,
                ],
            )
        )
        yield f"usage: {usage}\n"
        yield cls.help()
        if cls.options:
            yield "\nOptions:"
            for option in cls.options:
                names = ", ".join(filter(None, [option.short, option.name]))
                yield f"  {names:<22} {option.help}"
