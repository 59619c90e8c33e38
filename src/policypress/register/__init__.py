"""The staff acknowledgement register: who has signed which agreement, at which approved
version and hash, and who has passed which staff quiz.

People's data lives in the private folder (``private/`` beside ``content/`` by default,
git-ignored), never under ``content/``; the public build never reads it. What the register
writes for governors goes to ``build/governors/register/``, which is never published.

- ``settings``: ``private/register.yml``, the column mapping and the retention period;
- ``people``: the staff list, imported from a school system's CSV export;
- ``approved``: the approved versions and hashes a return is checked against;
- ``forms``: reading a returned agreement form (fields, stamp, signature, text);
- ``evidence``: quiz completion codes and learning platforms' completion exports;
- ``store``: the register file, written so that adding the same evidence twice changes nothing;
- ``status`` and ``report``: who is complete and who is outstanding, and the governors' files;
- ``command``: ``policypress register …``.
"""
