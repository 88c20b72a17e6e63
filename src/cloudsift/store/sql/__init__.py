"""Compilers from bound queries to SQL, one dialect per store."""
