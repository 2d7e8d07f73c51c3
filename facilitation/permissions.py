"""Who may open the console and act in it: the one place for the facilitation app."""
