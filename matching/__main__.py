"""``python -m matching``: see cli.py."""
from .cli import main

raise SystemExit(main())
