"""Qt dialogs of the app."""
