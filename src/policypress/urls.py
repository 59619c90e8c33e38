"""Where each output lives, relative to the site root (directory-style URLs)."""

from __future__ import annotations

from policypress.model import Agreement, Policy


def policy_page(slug: str) -> str:
    return f"policies/{slug}/"


def policy_pdf(policy: Policy) -> str:
    draft = "-draft" if policy.is_draft else ""
    return f"policies/{policy.slug}/{policy.slug}-v{policy.current.number}{draft}.pdf"


def archived_policy_page(policy: Policy) -> str:
    """Point-in-time page of one approved version."""
    return f"policies/{policy.slug}/v{policy.current.number}/"


def compare_page(old: Policy, new: Policy) -> str:
    draft = "-draft" if new.is_draft else ""
    return f"policies/{new.slug}/compare/{old.current.number}-{new.current.number}{draft}/"


def agreement_page(agreement: Agreement) -> str:
    return f"forms/{agreement.slug}/"


def agreement_pdf(agreement: Agreement) -> str:
    return f"forms/{agreement.slug}/{agreement.slug}.pdf"
