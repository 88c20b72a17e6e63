"""The emulated AWS of the collector tests, for the server tests."""

from tests.collect.test_aws import aws  # noqa: F401  (the fixture)
