"""Collectors: they turn a cloud's APIs into nodes and edges for the store."""
