"""Programs' pages, one module per audience: `calls` (coordinators read a call) and `staff`."""
