"""The console entry point: `cloudsift` (shell), `cloudsift -c LINE` or `cloudsift WORDS...` (one line),
lines on stdin, `cloudsift demo`, `cloudsift serve`."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import Any, TextIO

from cloudsift import __version__
from cloudsift.errors import CloudsiftError, QueryError, error_line, internal_error
from cloudsift.render import render

__all__ = ["main", "make_context", "render", "report", "run_one"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cloudsift",
        description="Search your cloud inventory and alert on what breaks your baseline.",
        epilog="Without -c and with a terminal, cloudsift opens an interactive shell. "
        "`cloudsift WORDS...` runs the words, joined by spaces, as one command line, as -c does: "
        "`cloudsift search 'is(aws_vpc)' | wc -l` (quote a | meant for cloudsift: "
        "`cloudsift 'search is(aws_vpc) | count'`). `help COMMAND` or `COMMAND --help` shows a command's help. "
        "`cloudsift demo` runs the demo. `cloudsift serve [--host H] [--port P] [--worker]` runs the server "
        "(schedules, jobs, alert delivery, HTTP API; --worker: collection tasks of a shared PostgreSQL store); "
        "while it runs, lines are sent to it.",
    )
    parser.add_argument("-c", "--command", metavar="LINE", help="run one command line and exit")
    parser.add_argument(
        "--config", type=Path, help="the TOML config file (default ~/.config/cloudsift/config.toml)"
    )
    parser.add_argument(
        "--home", type=Path, help="where the inventory lives (default ~/.local/share/cloudsift)"
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    parser.add_argument("--version", action="version", version=f"cloudsift {__version__}")
    parser.add_argument(
        "action",
        nargs="?",
        metavar="demo|shell|serve|WORDS...",
        help="demo: run the demo; serve: run the server; other words: one command line (as -c)",
    )
    parser.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def make_context(config_path: Path | None = None, home: Path | None = None, terminal: bool = False) -> Any:
    from cloudsift.config import load_config
    from cloudsift.context import Context
    from cloudsift.store.open import make_home, open_store

    config = load_config(config_path, home, warn=_warn)
    make_home(config.home)  # the CLI keeps its history, the server's address and token there
    width = os.get_terminal_size().columns if terminal else 120
    return Context(config=config, open_store=lambda: open_store(config), terminal=terminal, width=width)


def _warn(message: str) -> None:
    sys.stderr.write(f"warning: {message}\n")


# Set by Ctrl-C (SIGINT): the store may then fail in its own words ("Query interrupted", an import
# refused), and what the person did, interrupting, is what is reported.
INTERRUPTED = threading.Event()


def _note_interrupt(signum: int, frame: FrameType | None) -> None:
    INTERRUPTED.set()
    signal.default_int_handler(signum, frame)  # raises KeyboardInterrupt, as Python does


def _catch_interrupts() -> None:
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:  # not when SIGINT is ignored
        signal.signal(signal.SIGINT, _note_interrupt)


def report(error: BaseException, debug: bool, err: TextIO) -> int:
    interrupted = isinstance(error, KeyboardInterrupt) or type(error).__name__ == "InterruptException"
    if interrupted or INTERRUPTED.is_set():
        err.write("interrupted\n")
        return 130
    if isinstance(error, CloudsiftError):
        if debug:
            import traceback

            traceback.print_exception(error, file=err)
        err.write(error_line(error.render(), isinstance(error, QueryError)))
        return error.exit_code
    import traceback

    if debug:
        traceback.print_exception(error, file=err)
    else:
        err.write(
            f"{internal_error(error)}\n(run with --debug for the traceback; this is a bug in cloudsift)\n"
        )
    return 3


def run_one(ctx: Any, line: str, out: TextIO, err: TextIO, debug: bool, remote: Any = None) -> int:
    """Run one line here, or on the server when one runs (`remote`); print it; its exit code."""
    from cloudsift.commands.pipeline import run_line

    INTERRUPTED.clear()  # a Ctrl-C of an earlier line in the shell is not this line's
    try:
        if remote is not None:
            from cloudsift.server.client import execute_remote

            return execute_remote(remote, line, out, err, ctx.terminal, ctx.width)
        render(run_line(line, ctx), out, ctx.terminal)
    except BrokenPipeError:
        # The reader (| head) went away: stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 0
    except BaseException as error:  # every failure becomes a message and an exit code
        if isinstance(error, SystemExit | GeneratorExit):
            raise
        return report(error, debug, err)
    return 0


def main(argv: list[str] | None = None) -> int:
    # pydantic looks for its plugins by scanning every installed package's entry points when it builds
    # its first validator (a config file's, 13 ms); cloudsift uses none. A user's own setting stays.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = _parser().parse_args(argv)
    _catch_interrupts()
    try:
        _words_as_line(args)
        return _run(args)
    except BaseException as error:  # outside a line: opening the store, or closing it after the last
        if isinstance(error, SystemExit):
            raise
        return report(error, args.debug, sys.stderr)


_ACTIONS = ("demo", "shell", "serve")


def _words_as_line(args: argparse.Namespace) -> None:
    """`cloudsift search 'is(aws_vpc)'` typed in a shell: the words are one command line, as with -c."""
    if args.action is None or args.action in _ACTIONS:
        return
    from cloudsift.errors import UsageError

    line = " ".join([args.action, *args.rest])
    if args.command is not None:
        raise UsageError(
            f"cloudsift takes one command line: -c {args.command!r} or the words {line!r}, not both"
        )
    args.command, args.action, args.rest = line, None, []


def _run(args: argparse.Namespace) -> int:
    try:
        if args.action == "demo":
            from cloudsift.demo import run_demo

            return run_demo(args, sys.stdout)
        terminal = sys.stdout.isatty()
        ctx = make_context(args.config, args.home, terminal=terminal and args.command is None)
        if args.action == "serve":
            return _serve(ctx, args.rest)
        from cloudsift.server.client import find_server

        remote = find_server(ctx.config)
    except CloudsiftError as error:
        return report(error, args.debug, sys.stderr)
    try:
        if args.command is not None:
            return run_one(ctx, args.command, sys.stdout, sys.stderr, args.debug, remote)
        if sys.stdin.isatty() or args.action == "shell":
            from cloudsift.shell import run_shell

            return run_shell(ctx, args.debug, remote)
        status = 0
        for line in sys.stdin:
            if line.strip() and not line.lstrip().startswith("#"):
                status = run_one(ctx, line.strip(), sys.stdout, sys.stderr, args.debug, remote) or status
        return status
    finally:
        ctx.close()


def _serve(ctx: Any, rest: list[str]) -> int:
    from cloudsift.server.run import serve

    parser = argparse.ArgumentParser(prog="cloudsift serve", description="Run the cloudsift server.")
    parser.add_argument("--host", help="address to listen on (default [server] host, 127.0.0.1)")
    parser.add_argument("--port", type=_port, help="port to listen on (default [server] port, 8900; 0: any)")
    parser.add_argument("--insecure", action="store_true",
                        help="listen beyond this machine with the generated token (set one of your own instead)")  # fmt: skip
    parser.add_argument("--worker", action="store_true",
                        help="also take collection tasks from the PostgreSQL store's queue (docs/scaling.md)")  # fmt: skip
    options = parser.parse_args(rest)
    return serve(ctx.config, options.host, options.port, options.insecure, options.worker)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1 to 65535 (0: any free port)")
    return port


if __name__ == "__main__":
    sys.exit(main())
