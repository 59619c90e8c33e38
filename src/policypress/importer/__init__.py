"""Bringing documents into policypress: ``policypress import`` turns a school's existing policy
document (.docx, .odt, .html, .md, .txt) into a working draft in content/policies/<slug>/ with
an import report, and the Word round trip (``export-docx``, ``import --update``) lets a policy
be edited in Word afterwards.

pandoc (shipped by pypandoc-binary) reads every format but plain text into its document tree;
everything after that works on that tree, never on the file's markup."""

from policypress.importer.document import ImportedDocument, convert
from policypress.importer.pandoc import ImportRefused
from policypress.importer.writer import DraftExists, write_draft

__all__ = ["DraftExists", "ImportRefused", "ImportedDocument", "convert", "write_draft"]
