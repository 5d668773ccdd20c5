"""Models of the elders app."""
