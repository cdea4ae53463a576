"""Every message the portal sends, kept as a row (an outbox): nothing is lost when mail is down."""
