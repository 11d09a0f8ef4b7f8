"""Reads of the assessments app: what the unit's and the appraiser's screens, the history and
the lists show."""
