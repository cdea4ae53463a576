"""People: the user model (email login, name, language), roles, sign-in and two-factor rules."""
