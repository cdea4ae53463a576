"""Host institutions in Japan, their members, invitations to join, and partners abroad."""
