"""Pure rules of the creator business: money, economics, catalog. Standard library only."""
