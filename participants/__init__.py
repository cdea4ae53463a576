"""The people invited: registration by the host, import, eligibility, invitations, their portal."""
