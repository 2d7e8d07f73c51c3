"""Reads on communities, always built on the permission querysets."""
