"""The command line's commands, one module each (listed in ``registry``, of the one shape
described in ``context``), and the work behind those that run the whole pipeline: recording
approvals and adoptions (``approval``, ``adoption``, ``recording``), a group's build
(``groupbuild``) and its progress report (``buildreport``), the live preview server
(``liveserver``), verification against a manifest (``verification``), review packs
(``reviewpack``) and quiz exports (``quizexports``)."""
