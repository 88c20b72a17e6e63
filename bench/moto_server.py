"""moto's server as the demo and the tests run it: with the APIs cloudsift adds to moto
(cloudsift.demo_aws.serve_missing_apis), so that a full collection has no failed service.

    python bench/moto_server.py -p PORT   (the arguments of `python -m moto.server`)
"""

from __future__ import annotations

import sys

from moto.server import main

from cloudsift.demo_aws import serve_missing_apis

if __name__ == "__main__":
    serve_missing_apis()
    main(sys.argv[1:])
