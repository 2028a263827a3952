"""`python -m ppss_qual` runs the command line."""

from ppss_qual.cli import main

main()
