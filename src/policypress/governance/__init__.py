"""Reading the versions of a policy: comparing two texts (``compare``, used by the site, the
quizzes and the review pack) and telling a rollback (``rollback``, used by the release).
Recording a version is a command: see ``policypress.commands.approve`` and ``adopt``."""
