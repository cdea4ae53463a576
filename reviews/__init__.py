"""Reviews and decisions on invitation plans."""
