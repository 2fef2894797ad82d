"""Exports: render what the store holds for other tools (render only, no analysis)."""
