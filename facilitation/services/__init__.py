"""Writes of the console: each checks its permission, writes an audit row, enqueues on commit."""
