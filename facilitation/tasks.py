"""Background work of the facilitator console (personal asks and nudges go out here)."""
