"""The `jq` command: a jq filter run in a child process that can be bounded and stopped.

jq runs in C and holds the interpreter while it does: in the server's own process one filter that
loops (`def f: f; f`) or grows (`[range(20000000)]`) would stop /health, the scheduler and delivery.
So each line's filter runs in its own child (jq_worker.py) with CPU-time and memory rlimits and an
empty environment, fed in batches; the parent waits in select(), watching the line's cancel flag, and
kills the child when the line is cancelled, times out or the server stops. jq's `import`/`include`
read files and are refused.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import select
import signal
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import orjson

from cloudsift.commands.base import Command, Option, command
from cloudsift.commands.jq_worker import _HEADER
from cloudsift.commands.search import open_nodes
from cloudsift.context import Context
from cloudsift.errors import Stopped, UsageError

_SECTIONS = ("reported", "ancestors", "id", "kinds", "metadata")
_JQ_PATH = re.compile(r'"(?:\\.|[^"\\])*"|(?<![\w\]\).$])\.(/?[A-Za-z_]\w*)')
_JQ_PIPE = re.compile(r'"(?:\\.|[^"\\])*"|\|')
# Directives that load modules and data files from the machine (with {search: DIR} from anywhere).
_FILE_ACCESS = re.compile(r'"(?:\\.|[^"\\])*"|(?<![\w.$])\b(import|include)\b')
_BATCH_ITEMS = 500
_BATCH_BYTES = 4 << 20
_POLL_SECONDS = 0.1
_WORKER = Path(__file__).with_name("jq_worker.py")
_LIVE: set[JqProcess] = set()
_LIVE_LOCK = threading.Lock()


def jq_filter(text: str) -> str:
    """Resoto's and Fix's jq shorthand: `.name` on a node means `.reported.name`, `./name` means `.name`.

    As in Fix, only the filter's first stage is rewritten, up to its first `|` outside a string: what
    follows reads that stage's output, not the node (`map(.color) | {a: .a}` is
    `map(.reported.color) | {a: .a}`). Our sections (`.ancestors`, `.id`, …) stay as they are.
    """
    stage_end = len(text)
    for match in _JQ_PIPE.finditer(text):
        if match.group(0) == "|":
            stage_end = match.start()
            break

    def rewrite(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)
        if name.startswith("/"):
            return "." + name[1:]
        if name in _SECTIONS:
            return match.group(0)
        return f".reported.{name}"

    return _JQ_PATH.sub(rewrite, text[:stage_end]) + text[stage_end:]


def jq_program(text: str) -> str:
    """The jq program a `jq` command's argument means: `--no-rewrite F` is F exactly as written."""
    text = _unquoted(text.strip())
    words = text.split(maxsplit=1)
    if words and words[0] == "--no-rewrite":
        return _unquoted(words[1].strip()) if len(words) == 2 else ""
    return jq_filter(text)


def _unquoted(text: str) -> str:
    if len(text) > 1 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


def refuse_file_access(text: str) -> None:
    for match in _FILE_ACCESS.finditer(text):
        if match.group(1):
            raise UsageError(
                f"jq: {match.group(1)} is not available in cloudsift: it reads files of the machine "
                "cloudsift runs on; put the data in the filter instead"
            )


def stop_every_jq() -> int:
    """Kill every running jq child (the server stops); their lines end with an error. How many."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for process in live:
        process.kill()
    return len(live)


class JqProcess:
    """One line's jq child: batches go in, outputs come out, and it stops whenever the line stops.

    Two batches are in flight: the child evaluates one while this process reads the next from the
    store. Both pipes are served by one select() loop (stdin non-blocking), so neither side can block
    the other however large a batch or its output is.
    """

    def __init__(self, program: str, cpu_seconds: int, memory_mb: int) -> None:
        self.cpu_seconds, self.memory_mb = cpu_seconds, memory_mb
        # Nothing of ours in its environment: PYTHONPATH only, so the child finds the same packages;
        # -P: not its own folder first on sys.path, where jq.py (this module) would hide the jq package.
        env = {k: v for k, v in os.environ.items() if k == "PYTHONPATH"}
        self.child = subprocess.Popen([sys.executable, "-s", "-P", str(_WORKER)], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd="/",
                                      start_new_session=True)  # fmt: skip
        assert self.child.stdin is not None and self.child.stdout is not None
        self.stdin, self.stdout = self.child.stdin.fileno(), self.child.stdout.fileno()
        os.set_blocking(self.stdin, False)
        with _LIVE_LOCK:
            _LIVE.add(self)
        setup = {"filter": program, "cpu_seconds": cpu_seconds, "memory_bytes": memory_mb << 20}
        self.outgoing = bytearray(_frame(orjson.dumps(setup)))
        self.incoming = bytearray()

    def kill(self) -> None:
        if self.child.poll() is None:
            self.child.kill()

    def close(self) -> None:
        self.kill()
        self.child.wait()
        for pipe in (self.child.stdin, self.child.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()
        with _LIVE_LOCK:
            _LIVE.discard(self)

    def outputs(self, ctx: Context, batches: Iterator[list[bytes]]) -> Iterator[Any]:
        """The outputs of every batch, in order."""
        in_flight, more = 0, True
        while more or in_flight:
            while more and in_flight < 2:
                batch = next(batches, None)
                if batch is None:
                    more = False
                    break
                self.outgoing += _frame(b"\n".join(batch))
                in_flight += 1
            for answer in self._exchange(ctx):
                in_flight -= 1
                if answer[:1] == b"e":
                    raise UsageError(self._explain(answer[1:].decode(errors="replace")))
                yield from (orjson.loads(line) for line in answer[1:].split(b"\n") if line)

    def _exchange(self, ctx: Context) -> list[bytes]:
        """Send what is pending and read until at least one answer is complete; the answers."""
        while True:
            if ctx.cancelled.is_set():
                self.kill()
                raise Stopped("stopped before the end of the line")
            writing = [self.stdin] if self.outgoing else []
            readable, writable, _ = select.select([self.stdout], writing, [], _POLL_SECONDS)
            if writable:
                try:
                    sent = os.write(self.stdin, self.outgoing[: 1 << 16])
                except BlockingIOError:
                    sent = 0
                except BrokenPipeError:  # it died; the read below says why
                    self.outgoing.clear()
                    sent = 0
                del self.outgoing[:sent]
            if readable:
                chunk = os.read(self.stdout, 1 << 20)
                if not chunk:
                    raise UsageError(self._died())
                self.incoming += chunk
                answers = self._complete_frames()
                if answers:
                    return answers

    def _complete_frames(self) -> list[bytes]:
        answers = []
        while len(self.incoming) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self.incoming)
            if size > self.memory_mb << 20:
                self.kill()
                raise UsageError(f"jq: one batch's output is over the memory limit of {self.memory_mb} MB")
            if len(self.incoming) < _HEADER.size + size:
                break
            answers.append(bytes(self.incoming[_HEADER.size : _HEADER.size + size]))
            del self.incoming[: _HEADER.size + size]
        return answers

    def _died(self) -> str:
        code = self.child.wait()
        if code == -signal.SIGKILL:
            return "jq: stopped (the line was cancelled, or the server stops)"
        if code == -signal.SIGABRT:  # jq aborts when an allocation fails
            return self._explain("memory")
        if code == -signal.SIGXCPU:
            return f"jq: stopped after {self.cpu_seconds}s of CPU time, the limit ([jq] cpu_seconds)"
        return f"jq: the filter ended with exit status {code}"

    def _explain(self, error: str) -> str:
        if error == "memory":
            return f"jq: the filter needs more than {self.memory_mb} MB, the limit ([jq] memory_mb)"
        return f"jq: {error}"


def _frame(body: bytes) -> bytes:
    return _HEADER.pack(len(body)) + body


def _batches(elements: Iterable[Any]) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    size = 0
    for element in elements:
        encoded = orjson.dumps(element, default=str)
        batch.append(encoded)
        size += len(encoded)
        if len(batch) >= _BATCH_ITEMS or size >= _BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


@command
class JqCommand(Command):
    """Transform each element with a jq filter; on nodes `.name` means `.reported.name`.

    Up to the filter's first `|` (outside strings), `.name` is rewritten to `.reported.name` and
    `./name` to `.name`; `.ancestors`, `.id`, `.kinds` and `.metadata` stay as written, and what follows
    the first `|` is left alone (it reads that stage's output). `--no-rewrite` gives the filter to jq
    exactly as written, as in Fix Inventory.

    The filter runs in a child process without the environment, within `[jq] cpu_seconds` of CPU
    time and `[jq] memory_mb` of memory; `import` and `include` (which read files) are refused.

    Example: `search is(volume) | jq '{name: .name, size: .volume_size, account: .ancestors.account.reported.name}'`
    """

    name = "jq"
    options = (Option("--no-rewrite", "give the filter to jq as written (no .name → .reported.name)", bool),)
    positional = "FILTER"

    def parse(self, raw: str) -> None:
        import jq

        self.program = jq_program(raw)
        if not self.program:
            raise UsageError("jq needs a filter, e.g. jq .name")
        refuse_file_access(self.program)
        try:  # compiled here only to refuse a bad filter before anything runs; it runs in the child
            jq.compile(self.program)
        except ValueError as e:
            raise UsageError(f"jq: {e}") from None

    def run(self, ctx: Context, stream: Iterable[Any]) -> Iterator[Any]:
        batches = _batches(open_nodes(stream))
        first = next(batches, None)
        if first is None:
            return  # no input: no child
        limits = ctx.config.jq
        process = JqProcess(self.program, limits.cpu_seconds, limits.memory_mb)
        try:
            yield from process.outputs(ctx, itertools.chain([first], batches))
        finally:
            process.close()
