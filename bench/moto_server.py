"""moto's server as the demo and the tests run it: with the APIs cloudsift adds (SSM's
DescribeInstanceInformation, cloudsift.demo_ssm; IAM Access Analyzer, cloudsift.demo_access_analyzer), so
that a full collection has no failed service.

    python bench/moto_server.py -p PORT   (the arguments of `python -m moto.server`)
"""

from __future__ import annotations

import sys

from moto.server import main

from cloudsift.demo_access_analyzer import serve_access_analyzer
from cloudsift.demo_ssm import serve_managed_instances

if __name__ == "__main__":
    serve_managed_instances()
    serve_access_analyzer()
    main(sys.argv[1:])
