"""`python -m pairgen` runs the CLI."""

from pairgen.cli import main

main()
