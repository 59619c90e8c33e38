"""Where each output lives, relative to the site root (directory-style URLs)."""

from __future__ import annotations

from policypress.model import Agreement, Policy


def policy_page(slug: str) -> str:
    return f"policies/{slug}/"


def policy_pdf(policy: Policy) -> str:
    return f"policies/{policy.slug}/{policy.slug}-v{policy.current.number}.pdf"


def agreement_page(agreement: Agreement) -> str:
    return f"forms/{agreement.slug}/"


def agreement_pdf(agreement: Agreement) -> str:
    return f"forms/{agreement.slug}/{agreement.slug}.pdf"
