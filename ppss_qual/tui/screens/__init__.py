"""Screens of the workbench: home, transcript, codebook, search results, and the small modals."""
