"""The studio's own stylesheet and script, and the school's colours as a stylesheet."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from policypress.studio.context import Studio
from policypress.studio.rendering import STATIC

# The site's own colours when school.yml cannot be read (the schema's defaults).
DEFAULT_COLOURS = ("#1b4d7a", "#8a3b00")


def routes(studio: Studio) -> list[Route]:
    async def stylesheet(request: Request) -> Response:
        return Response((STATIC / "studio.css").read_bytes(), media_type="text/css")

    async def script(request: Request) -> Response:
        return Response((STATIC / "studio.js").read_bytes(), media_type="text/javascript")

    async def colours(request: Request) -> Response:
        """The school's colours as custom properties (never inline: the CSP allows no inline
        style); the reader has checked they are colours."""
        found = studio.school()
        primary, accent = (found.primary_colour, found.accent_colour) if found else DEFAULT_COLOURS
        text = f":root {{ --primary: {primary}; --accent: {accent}; }}\n"
        return Response(text, media_type="text/css")

    return [
        Route("/static/studio.css", stylesheet),
        Route("/static/studio.js", script),
        Route("/static/colours.css", colours),
    ]
