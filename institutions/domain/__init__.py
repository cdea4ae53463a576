"""Business functions of institutions: who joins, with which role, and who leaves."""
