"""policypress: one Markdown source per school policy, built into every output a school needs."""

__version__ = "0.1.0"
