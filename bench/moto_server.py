"""moto's server as the demo and the tests run it: with the one API cloudsift adds (SSM's
DescribeInstanceInformation, cloudsift.demo_ssm), so that a full collection has no failed service.

    python bench/moto_server.py -p PORT   (the arguments of `python -m moto.server`)
"""

from __future__ import annotations

import sys

from moto.server import main

from cloudsift.demo_ssm import serve_managed_instances

if __name__ == "__main__":
    serve_managed_instances()
    main(sys.argv[1:])
