"""Alert sinks: what they send goes through a durable outbox; each (sink, dedup key) keeps its state."""
