"""Reads of the console: every figure from bounded queries (constant in the data size)."""
