"""Lemmas, sentences and language detection for Swedish and English, offline."""
