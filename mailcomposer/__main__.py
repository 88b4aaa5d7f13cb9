"""Entry point for ``python -m mailcomposer``."""

import sys

from mailcomposer.cli import main

sys.exit(main())
