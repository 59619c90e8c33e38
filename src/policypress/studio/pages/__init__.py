"""The studio's pages: each module's ``routes(studio)`` gives its addresses and handlers,
which read the request, call the same functions the command line calls (through the
studio's modules one level up) and render a template."""
