"""Qt pages of the app."""
