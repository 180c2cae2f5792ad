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
    name="admin", help="Create organisations, users and API tokens.", no_args_is_help=True
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


def register(app: typer.Typer) -> None:
    app.add_typer(admin)
