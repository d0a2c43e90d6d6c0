"""``python -m anp_extract``: the same as the ``anp-extract`` command."""

from .entry import main

main()
