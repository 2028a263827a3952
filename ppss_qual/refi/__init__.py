"""REFI-QDA exchange: .qdpx projects and .qdc codebooks, read leniently and written strictly."""
