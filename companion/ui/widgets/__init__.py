"""Qt widgets of the app."""
