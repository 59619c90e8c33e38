"""``policypress studio``: the studio on this machine, in the browser.

It listens on 127.0.0.1 (a free port unless ``--port`` says), prints its address with a
secret token and opens the browser there. Another address is refused unless
``--allow-remote``, and then only with a password (``POLICYPRESS_STUDIO_PASSWORD``, or asked
for), and a warning that TLS belongs in front of it."""

from __future__ import annotations

import argparse
import getpass
import ipaddress
import os
import secrets
import socket
import sys

from policypress.commands.context import CommandContext, add_project_options
from policypress.core.errors import EXIT_OK, UsageError
from policypress.core.messages import N_
from policypress.core.messages import gettext as _

NAME = "studio"
HELP = N_("the studio: the policies, the school's details and approvals in the browser")
DESCRIPTION = N_(
    "Serve the studio on this machine and open it in the browser: a dashboard of every "
    "policy's status, the school's details as a form, and recording the governors' approval."
)
LOOPBACK = "127.0.0.1"
PASSWORD_VARIABLE = "POLICYPRESS_STUDIO_PASSWORD"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_project_options(parser)
    parser.add_argument(
        "--port", type=int, default=0, help=_("port (default: a free one, chosen at start)")
    )
    parser.add_argument(
        "--no-browser", action="store_true", help=_("print the address; do not open a browser")
    )
    parser.add_argument(
        "--host",
        default=LOOPBACK,
        help=_("address to listen on (default: 127.0.0.1, this machine only)"),
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help=_(
            "allow an address other machines can reach; asks for a password "
            "(or reads POLICYPRESS_STUDIO_PASSWORD)"
        ),
    )


def run(ctx: CommandContext) -> int:
    project = ctx.checked_project()
    args = ctx.args
    remote = not _is_loopback(args.host)
    if remote and not args.allow_remote:
        raise UsageError(
            _(
                "--host %(host)s can be reached from other machines; the studio writes the "
                "school's files, so it listens on 127.0.0.1 unless --allow-remote is given "
                "(with a password)"
            )
            % {"host": args.host}
        )
    if remote and _is_wildcard(args.host):
        # The Host check needs the name others will type: a wildcard address has none.
        raise UsageError(
            _(
                "--host %(host)s listens on every address; give the one address the others "
                "will open, e.g. --host 192.168.1.20"
            )
            % {"host": args.host}
        )
    password = _password() if remote else None
    if not 0 <= args.port <= 65535:
        raise UsageError(
            _("port %(port)s is not a port number; expected --port between 1 and 65535")
            % {"port": args.port}
        )
    import uvicorn  # the web stack loads only when the studio runs

    from policypress.studio.app import create_app
    from policypress.studio.security import TOKEN_PARAMETER, Access

    listening = _listen(args.host, args.port)
    port = listening.getsockname()[1]
    token = secrets.token_urlsafe(32)
    shown_host = f"[{args.host}]" if ":" in args.host else args.host
    # A loopback address is also reached by the machine's own names for itself.
    names = (shown_host.lower(),) if remote else (shown_host, LOOPBACK, "localhost", "[::1]")
    app = create_app(project, Access(port, token, names, password))
    if remote:
        ctx.warn(
            _(
                "policypress: warning: the studio is listening on %(host)s, which other "
                "machines can reach; anyone who learns the password can change the school's "
                "files, and without TLS (HTTPS from a proxy in front of it) the password "
                "crosses the network readable"
            )
            % {"host": args.host}
        )
        url = f"http://{shown_host}:{port}/"
    else:
        url = f"http://{shown_host}:{port}/?{TOKEN_PARAMETER}={token}"
    ctx.say(
        _("The studio is at %(url)s — keep this address to yourself. Ctrl-C stops it.")
        % {"url": url}
    )
    if not args.no_browser:
        import webbrowser

        webbrowser.open(url)
    server = uvicorn.Server(
        uvicorn.Config(app, log_level="warning", access_log=False, server_header=False)
    )
    try:
        server.run(sockets=[listening])
    except KeyboardInterrupt:
        pass
    finally:
        listening.close()
    ctx.say(_("Stopped."))
    return EXIT_OK


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def _password() -> str:
    password = os.environ.get(PASSWORD_VARIABLE)
    if password is None and sys.stdin.isatty():
        password = getpass.getpass(_("Password for the studio: "))
    if not password or len(password) < 12:
        raise UsageError(
            _(
                "--allow-remote needs a password of at least 12 characters: set "
                "POLICYPRESS_STUDIO_PASSWORD or type it when asked"
            )
        )
    return password


def _listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound before the address is printed: port 0 is a free port."""
    from policypress.environment import ResourceBusy

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listening = socket.socket(family, socket.SOCK_STREAM)
    try:
        listening.bind((host.strip("[]"), port))
        listening.listen(128)
    except OSError as exc:
        listening.close()
        reason = exc.strerror or str(exc)  # the operating system's words, not ours to catalogue
        raise ResourceBusy(
            _(
                "cannot listen on %(host)s port %(port)s (%(reason)s); choose another "
                "port with --port N"
            )
            % {"host": host, "port": port, "reason": reason}
        ) from None
    return listening
