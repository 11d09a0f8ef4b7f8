"""Writes of the assessments app: every change to an assessment or an item goes through a
function of these modules."""
