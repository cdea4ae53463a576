"""Reviews' pages, one module per audience: `reviewer` and `staff`."""
