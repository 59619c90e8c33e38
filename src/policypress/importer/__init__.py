"""Bringing documents into policypress: imports from Word and other formats, and the
Word round trip."""
