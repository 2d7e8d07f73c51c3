"""Discussion emails, sent through the outbox: kinds registered in `register()`."""
