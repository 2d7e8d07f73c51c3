"""Reads on discussions, always built on the permission querysets."""
