"""The console's own records (seed templates, notes, playbook ticks, asks and nudges)."""
