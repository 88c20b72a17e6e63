"""The fixtures of the worker tests: moto over HTTP (the collector tests') and setups on fresh schemas."""

from tests.collect.test_aws import aws  # noqa: F401
from tests.workers.workers_fixture import setups  # noqa: F401
