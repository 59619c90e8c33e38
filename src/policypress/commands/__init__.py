"""Commands built on the whole pipeline: review pack, verify, serve."""
