"""The emails about a person's own account: verify the address, reset the password, join a workspace.

Their links open the web app, which is served at /app/ from the API's own origin (CloudFront on AWS, the
local gateway on a laptop): that origin is PUBLIC_BASE_URL, so links are `{PUBLIC_BASE_URL}/app/...`.
WEB_ORIGIN is no longer where the app lives; it stays only as the extra origin the CSRF check and CORS
accept (Vite's dev server locally), which is not a page a person should land on from an email.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from collectra import config
from collectra.email import brevo
from collectra.email.display_name import via_collectra
from collectra.observability import logger


def _message(
    to_email: str,
    to_name: str | None,
    subject: str,
    *,
    lines: list[str],
    link: str,
    action: str,
    sender_name: str | None = None,
) -> brevo.Message:
    greeting = f"Hello {to_name}," if to_name else "Hello,"
    text = "\n\n".join([greeting, *lines, f"{action}: {link}", "The Collectra team"])
    paragraphs = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = (
        f'<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">'
        f"<p>{escape(greeting)}</p>{paragraphs}"
        f'<p><a href="{escape(link)}">{escape(action)}</a></p>'
        f"<p>The Collectra team</p></body></html>"
    )
    return brevo.Message(
        to_email=to_email,
        to_name=to_name,
        subject=subject,
        html=html,
        text=text,
        sender_email=config.email_sender_address(),
        sender_name=sender_name or config.email_sender_name(),
        tags=("account",),
    )


def app_link(route: str, token: str) -> str:
    """A link into the web app's `route` (e.g. "verify-email") carrying `token`."""
    return f"{config.public_base_url()}/app/{route}?token={quote(token)}"


def verification(to_email: str, to_name: str | None, token: str) -> brevo.Message:
    link = app_link("verify-email", token)
    return _message(
        to_email,
        to_name,
        "Confirm your email address for Collectra",
        lines=["Please confirm that this is your email address. The link works once, for 48 hours."],
        link=link,
        action="Confirm my email address",
    )


def password_reset(to_email: str, token: str) -> brevo.Message:
    link = app_link("reset-password", token)
    return _message(
        to_email,
        None,
        "Reset your Collectra password",
        lines=[
            "Someone asked to reset the password of your Collectra account.",
            "If it was you, choose a new password with the link below; it works once, for one hour.",
            "If it was not you, ignore this email: your password stays as it is.",
        ],
        link=link,
        action="Choose a new password",
    )


def email_change(to_email: str, to_name: str | None, token: str) -> brevo.Message:
    link = app_link("confirm-email", token)
    return _message(
        to_email,
        to_name,
        "Confirm your new email address for Collectra",
        lines=[
            "You asked to use this address for your Collectra account.",
            "It takes effect when you confirm it with the link below; the link works once, for 24 hours.",
        ],
        link=link,
        action="Use this address",
    )


def email_change_notice(to_email: str, to_name: str | None, cancel_token: str) -> brevo.Message:
    """To the old address: someone asked to move the account away from it; the link undoes it for 7 days."""
    link = app_link("cancel-email-change", cancel_token)
    return _message(
        to_email,
        to_name,
        "Your Collectra email address is being changed",
        lines=[
            "Someone signed in to your Collectra account asked to change its email address.",
            "If it was not you, use the link below within 7 days, even if the change was already confirmed: "
            "the account goes back to this address and every device is signed out. Then choose a new password.",
        ],
        link=link,
        action="Cancel the change and sign everyone out",
    )


INVITATION_SUBJECT = "You are invited to join a workspace on Collectra"


def invitation(to_email: str, workspace_name: str, inviter_name: str, role: str, token: str) -> brevo.Message:
    """To someone invited to a workspace: the link signs them up, or in, and into the workspace.

    The subject is Collectra's own words only: a workspace's or a person's name is whatever someone typed, and
    a subject line is what a phishing email needs. The sender is always "<workspace> via Collectra".
    """
    link = app_link("join", token)
    return _message(
        to_email,
        None,
        INVITATION_SUBJECT,
        sender_name=via_collectra(workspace_name),
        lines=[
            f"{inviter_name} invites you to join the workspace {workspace_name} on Collectra, as {role}.",
            "The link works once, for 7 days. If you do not know this person, ignore this email.",
        ],
        link=link,
        action="Join the workspace",
    )


def send_quietly(message: brevo.Message, *, purpose: str) -> bool:
    """Send an account email without failing the request that triggered it; a person can ask again."""
    try:
        brevo.send(message)
    except (brevo.EmailRejected, brevo.EmailUnavailable) as error:
        logger.warning("account email not sent", extra={"purpose": purpose, "reason": str(error)})
        return False
    return True
