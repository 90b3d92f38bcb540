"""`python -m pipeline.bench.baselines KIND ...`: one baseline in its own process."""

import sys

from pipeline.bench.baselines import main

sys.exit(main(sys.argv[1:]))
