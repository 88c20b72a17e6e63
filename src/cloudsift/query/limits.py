"""Bounds every engine shares, so that a query means the same everywhere and never exhausts one."""

MAX_DEPTH = 64  # the deepest a navigation walks (-[1:]-> included), in every engine
