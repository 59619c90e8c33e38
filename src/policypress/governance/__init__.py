"""Versions and approval: comparing texts, recording governors' approval."""
