"""Rules over the validated repository: consistency across fields and files (consistency,
checking.load_repository), "today" (clock), deadlines and the summary's statistics.

This file imports nothing, so that `rules.clock` can be had without pydantic (the no-op build).
"""
