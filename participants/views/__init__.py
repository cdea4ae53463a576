"""Views: the coordinator's participant pages and the participant's own portal."""
