"""Views of invitation plans: the coordinator's list and editor, the plan page, staff lists."""
