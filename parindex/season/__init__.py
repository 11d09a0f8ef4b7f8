"""The season: the stages a period goes through, from opening the self-assessment to
finalising, their deadlines and reminders, and the chair's dashboard."""
