"""Models of the association app."""
