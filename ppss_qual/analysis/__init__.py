"""Analysis of codings: excerpt queries, code-by-group tables, co-occurrence and theme networks.

`project.analysis` (ppss_qual.analysis.service.Analysis) is the entry point the CLI, the TUI and the Word
report use. numpy does the counting, networkx the network and matplotlib the drawing; each is imported
where it is needed, so that importing this package costs nothing.
"""
