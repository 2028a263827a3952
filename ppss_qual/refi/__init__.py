"""refi."""
