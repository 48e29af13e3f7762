"""Batch projection at scale: a local streaming engine and a Ray Data engine."""
