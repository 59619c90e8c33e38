"""The studio: ``policypress studio``, a local web application for the people who own a
school's policies and do not use a terminal.

It sits above :mod:`policypress.commands` and calls the same functions the commands call
(``check``, ``approve``), so each rule has one implementation. Pages are rendered on the
server from autoescaping templates; forms work without JavaScript. What guards it is
:mod:`policypress.studio.security`."""
