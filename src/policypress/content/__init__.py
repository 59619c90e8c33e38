"""Reading ``content/``, ``quizzes/`` and a group's ``schools/`` into the model.

One reader per kind of file, each a public function that takes the file's path, the
Diagnostics and the tree the sources were read into (``source/tree.py``), and returns model
objects that keep their source positions, reporting every problem as ``path:line:col:
message``:

- ``school.py``: ``read_school`` (school.yml), ``read_trust`` (trust.yml);
- ``policy.py``: ``read_policy`` (a policy folder), ``read_policy_text`` (one text);
- ``history.py``: ``read_history`` (history.yml);
- ``agreements.py``: ``load_agreements``; ``posters.py``: ``read_posters``;
  ``learning.py``: ``load_points`` (quizzes/); ``local.py``: ``read_local``,
  ``read_composed_text`` (a school's text of a model version);
- ``translation.py``: ``read_translations`` (a policy folder's ``policy.<language>.md``,
  checked against its history);

``loader.py`` composes them into the frozen ``Content`` (with the checks that span files),
``group.py`` composes the same readers for a trust and its schools. The readers never open a
file: ``loader.read_content`` reads every source into the tree first, each file once through
the gate of ``core.safefile``; nothing reads a file again once it is loaded.
"""
