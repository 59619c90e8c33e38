"""Shared basics every stage uses: diagnostics, dates, hashing, atomic file writes."""
