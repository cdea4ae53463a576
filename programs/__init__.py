"""Programs, their courses and calls for invitation plans: the program's rules kept as data."""
