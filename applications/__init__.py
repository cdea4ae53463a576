"""Invitation plans: the coordinator's application, its itinerary, budget and state."""
