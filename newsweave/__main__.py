"""``python -m newsweave``: the same command as the installed ``newsweave``."""

import sys

from .cli import main

sys.exit(main())
