"""`python -m proposal_docs` runs the command line."""

from .launcher import main

main()
