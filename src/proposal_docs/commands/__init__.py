"""One module per CLI command: each takes plain arguments and returns plain results."""
