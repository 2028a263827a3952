"""Pseudonymisation: offline detection of names, schools, places and numbers; review; the key.

detect (the rules), patterns (personnummer, phones, e-mail), lexicon (word lists), pseudonyms (who gets
which pseudonym), service (the facade: Pseudonymiser(project)), evaluate (precision and recall against
hand-labelled transcripts). Decisions are applied on the way out by ppss_qual.exports.names.
"""
