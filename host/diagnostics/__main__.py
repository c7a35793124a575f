"""`python -m host.diagnostics [--views]`: the doctor's checks for a host that will not start."""

import argparse
import sys

from host.diagnostics.doctor import main
from host.diagnostics.rest_views import check_views_on_tableau

parser = argparse.ArgumentParser(prog="python -m host.diagnostics", description=__doc__)
parser.add_argument("--views", action="store_true",
                    help="also sign in to Tableau's REST API and check each configured view")
args = parser.parse_args()
sys.exit(main(more=check_views_on_tableau if args.views else None))
