"""The SQL checks of the DuckDB import and the Python reader accept and refuse the same files."""

from __future__ import annotations

import os
from typing import Any

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cloudsift.errors import ImportError_
from cloudsift.store.duckdb import DuckDBStore
from cloudsift.store.loader import GraphReader, Known
from tests.estate import frame, lines, node

values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**63), 2**64 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["2024-01-31T12:00:00Z", "2024-02-30", "2024-01-31", "yesterday", "x", ""]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.sampled_from(["ip_protocol", "from_port", "ip_ranges", "cidr_ip", "owner", "x"]),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=8,
)
PROPERTIES = ["name", "ctime", "tags", "instance_cores", "volume_size", "volume_encrypted", "group_ip_permissions",
              "description", "x_unknown"]  # fmt: skip


@settings(
    max_examples=int(os.environ.get("CLOUDSIFT_EXAMPLES", "150")),
    deadline=None,
    derandomize=os.environ.get("CI") == "true",
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.dictionaries(st.sampled_from(PROPERTIES), values, max_size=3), min_size=1, max_size=4))
def test_duckdb_import_refuses_exactly_what_the_reader_refuses(props: list[dict[str, Any]]) -> None:
    nodes, edges = frame()
    for i, extra in enumerate(props):
        doc = node(f"n{i}", "aws_ec2_volume")
        doc["reported"].update(extra)
        nodes.append(doc)
        edges.append(("reg", f"n{i}", "default"))
    data = lines(nodes, edges)
    expected: ImportError_ | None = None
    try:
        GraphReader().read(data, lambda ids: dict[str, Known]())
    except ImportError_ as e:
        expected = e
    store = DuckDBStore()
    try:
        store.import_lines(data)
    except ImportError_ as e:
        assert expected is not None, f"DuckDB refused what the reader accepts: {e}"
        assert str(e) == str(expected)
        assert store.count(store.bind("all")) == 0
    else:
        assert expected is None, f"DuckDB accepted what the reader refuses: {expected}"
        found = {d["id"]: d["reported"] for d in store.search(store.bind("is(volume)"))}
        assert found == {n["id"]: orjson.loads(orjson.dumps(n["reported"])) for n in nodes[3:]}
    finally:
        store.close()
