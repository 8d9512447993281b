"""``python -m newsweave``: the same command as the installed ``newsweave``."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
