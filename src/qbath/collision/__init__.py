"""Collision models with structured ancillae (seed 001)."""
