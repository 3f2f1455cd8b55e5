"""Qt models of the app."""
