"""``accord admin``: organisations, users and API tokens, from the operator's console.

The console acts across every tenant; each change is written to the audit trail with the
actor ``console``. A token's secret is printed once and cannot be shown again.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape

from accord.cli.output import console
from accord.cli.runtime import open_services
from accord.services.credentials import CreateToken
from accord.services.organisations import CreateOrganisation, CreateUser, OrganisationKind
from accord.services.permissions import Permission, Principal, Role

__all__ = ["register"]

admin = typer.Typer(
    name="admin",
    help="Create organisations, users and API tokens; disable users, revoke roles, reset "
    "passwords.",
    no_args_is_help=True,
)
CONSOLE = Principal.console()


@admin.command("create-organisation")
def create_organisation(
    slug: Annotated[str, typer.Argument(help="Identifier: lowercase letters, digits, '-'.")],
    name: Annotated[str, typer.Argument(help="Legal name.")],
    company: Annotated[
        bool, typer.Option("--company", help="The company that runs Accord (only one).")
    ] = False,
) -> None:
    """Create the company (once, with --company) or a partner organisation."""
    kind = OrganisationKind.COMPANY if company else OrganisationKind.PARTNER
    with open_services() as services:
        created = services.organisations.create_organisation(
            CONSOLE, CreateOrganisation(slug=slug, name=name, kind=kind)
        )
    console.print(f"created {created.kind.value} organisation {escape(created.slug)}")


@admin.command("create-user")
def create_user(
    organisation: Annotated[str, typer.Option("--organisation", help="Organisation id.")],
    email: Annotated[str, typer.Option("--email", help="E-mail address (the login).")],
    name: Annotated[str, typer.Option("--name", help="Full name.")],
    role: Annotated[
        list[Role], typer.Option("--role", help="Role (repeatable): " + ", ".join(Role))
    ],
    with_password: Annotated[
        bool, typer.Option("--with-password", help="Ask for a password (for web sign-in).")
    ] = False,
) -> None:
    """Create a user of an organisation with one or more roles."""
    password = None
    if with_password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with open_services() as services:
        created = services.organisations.create_user(
            CONSOLE,
            CreateUser(
                organisation=organisation, email=email, name=name, roles=role, password=password
            ),
        )
    roles = ", ".join(r.value for r in created.roles)
    console.print(f"created user {escape(created.email)} in {created.organisation} ({roles})")


@admin.command("create-token")
def create_token(
    user: Annotated[str, typer.Option("--user", help="E-mail of the user the token acts for.")],
    name: Annotated[str, typer.Option("--name", help="What the token is for.")] = "cli",
    scope: Annotated[
        list[Permission] | None,
        typer.Option("--scope", help="Scope (repeatable); default: all the user's roles allow."),
    ] = None,
    days: Annotated[
        int | None, typer.Option("--days", min=1, help="Lifetime in days; default configured.")
    ] = None,
) -> None:
    """Create an API token and print its secret (shown this once only)."""
    command = CreateToken(
        name=name, scopes=scope, ttl=dt.timedelta(days=days) if days else None, user=user
    )
    with open_services() as services:
        made = services.credentials.create_token(CONSOLE, command)
    scopes = " ".join(s.value for s in made.token.scopes)
    console.print(
        f"token {made.token.id} for {escape(made.token.user)} ({scopes}), "
        f"expires {made.token.expires_at:%Y-%m-%d %H:%M} UTC. Secret (shown once):",
        highlight=False,
    )
    typer.echo(made.secret)


@admin.command("disable-user")
def disable_user(email: Annotated[str, typer.Argument(help="The user's e-mail.")]) -> None:
    """Disable a user: its sessions end now; its tokens and password stop working."""
    with open_services() as services:
        services.organisations.disable_user(CONSOLE, email)
    console.print(f"disabled {escape(email)}; its sessions ended", highlight=False)


@admin.command("enable-user")
def enable_user(email: Annotated[str, typer.Argument(help="The user's e-mail.")]) -> None:
    """Enable a disabled user again."""
    with open_services() as services:
        services.organisations.enable_user(CONSOLE, email)
    console.print(f"enabled {escape(email)}", highlight=False)


@admin.command("revoke-role")
def revoke_role(
    email: Annotated[str, typer.Argument(help="The user's e-mail.")],
    role: Annotated[Role, typer.Argument(help="The role to take away.")],
) -> None:
    """Take one role away from a user."""
    with open_services() as services:
        view = services.organisations.revoke_role(CONSOLE, email, role)
    roles = ", ".join(r.value for r in view.roles) or "no roles"
    console.print(f"{escape(email)} now holds {roles}", highlight=False)


@admin.command("reset-password")
def reset_password(email: Annotated[str, typer.Argument(help="The user's e-mail.")]) -> None:
    """Set a user's password (asked for twice); its sessions end."""
    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with open_services() as services:
        services.organisations.reset_password(CONSOLE, email, password)
    console.print(f"password of {escape(email)} reset; its sessions ended", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(admin)
