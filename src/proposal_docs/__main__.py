"""`python -m proposal_docs` runs the command line."""

from .cli import main

main(prog_name="proposal-docs")
