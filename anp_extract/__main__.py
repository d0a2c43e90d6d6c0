"""``python -m anp_extract``: the same as the ``anp-extract`` command."""

from anp_extract.entry import main

main()
