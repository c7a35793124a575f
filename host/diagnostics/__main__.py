"""`python -m host.diagnostics`: the doctor's checks for a host that will not start."""

import sys

from host.diagnostics.doctor import main

sys.exit(main())
