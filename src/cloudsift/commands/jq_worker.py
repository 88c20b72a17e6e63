"""The child process that evaluates one line's jq filter (run by path: it imports nothing of cloudsift).

It runs apart from the process that asked so that a filter that loops or grows without end can be
stopped: its CPU time and memory are bounded by rlimits set here, before the filter is compiled, and
the parent kills it on cancel or timeout. Its environment is emptied first, so jq's `env` and `$ENV`
see nothing of the server's secrets.

Frames on stdin and stdout are a 4-byte big-endian length and a body. In: the filter and the limits
(a JSON object), then batches (JSON texts, one a line). Out, per batch: `o` and the outputs (JSON
texts, one a line), or `e` and the error, which ends the process. Text in and out: jq parses and prints
JSON itself, far faster than converting each value to and from Python objects.
"""

from __future__ import annotations

import os
import resource
import signal
import struct
import sys
from typing import Any, BinaryIO

import orjson

_HEADER = struct.Struct(">I")


def read_frame(stream: BinaryIO) -> bytes | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    body = stream.read(size)
    return body if len(body) == size else None


def write_frame(stream: BinaryIO, body: bytes) -> None:
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _limit(cpu_seconds: int, memory_bytes: int) -> None:
    # SIGXCPU at the soft limit ends the process (its default action); SIGKILL a second later.
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))


def _die_with_parent(parent: int) -> None:
    """Linux: killed when the process that started it dies (it cannot clean up after a SIGKILL)."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before that
        os._exit(1)


def main(stdin: BinaryIO, stdout: BinaryIO) -> int:
    parent = os.getppid()
    _die_with_parent(parent)
    os.environ.clear()  # jq's env/$ENV read the C environment, which this empties
    head = read_frame(stdin)
    if head is None:
        return 1
    setup: dict[str, Any] = orjson.loads(head)
    _limit(int(setup["cpu_seconds"]), int(setup["memory_bytes"]))
    import jq

    try:
        program = jq.compile(setup["filter"])
        while (frame := read_frame(stdin)) is not None:
            write_frame(stdout, b"o" + program.input_text(frame.decode()).text().encode())
    except MemoryError:
        write_frame(stdout, b"ememory")
        return 1
    except ValueError as e:
        write_frame(stdout, b"e" + str(e).encode())
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.stdin.buffer, sys.stdout.buffer))
