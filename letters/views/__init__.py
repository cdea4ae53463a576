"""Letters' pages, one module per audience: `readers` (download, public verification), `staff`."""
