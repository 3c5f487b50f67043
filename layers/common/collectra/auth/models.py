"""What the auth endpoints accept and answer."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints

from collectra.auth.passwords import MAX_LENGTH, MIN_LENGTH
from collectra.auth.tokens import LIFETIME_SECONDS
from collectra.clock import iso
from collectra.fields import EmailAddress, as_sent, trim
from collectra.models import Model

if TYPE_CHECKING:
    from collectra.auth.accounts import SignedIn

NewPassword = Annotated[str, Field(min_length=MIN_LENGTH, max_length=MAX_LENGTH)]
# A sign-in password is only compared, never stored: any length up to the maximum is fine to try.
GivenPassword = Annotated[str, Field(min_length=1, max_length=MAX_LENGTH)]
PersonName = Annotated[str, trim(120), StringConstraints(min_length=1, max_length=120), as_sent(non_blank=True)]
WorkspaceName = Annotated[str, trim(120), StringConstraints(min_length=1, max_length=120), as_sent(non_blank=True)]
OneTimeToken = Annotated[str, StringConstraints(min_length=16, max_length=128, pattern=r"^[A-Za-z0-9_\-]+$")]


class Strict(Model):
    model_config = ConfigDict(extra="forbid")


class SignupRequest(Strict):
    email: EmailAddress
    password: NewPassword
    name: PersonName
    workspace_name: WorkspaceName


class LoginRequest(Strict):
    email: EmailAddress
    password: GivenPassword


class TokenRequest(Strict):
    token: OneTimeToken


class ForgotPasswordRequest(Strict):
    email: EmailAddress


class ResetPasswordRequest(Strict):
    token: OneTimeToken
    password: NewPassword


class ChangePasswordRequest(Strict):
    current_password: GivenPassword
    new_password: NewPassword


class PreferencesRequest(Strict):
    """UI preferences only: nothing that identifies a person goes in this cookie."""

    locale: Literal["en", "fr", "de"] | None = None
    theme: Literal["light", "dark", "system"] | None = None
    density: Literal["comfortable", "compact"] | None = None
    # How the app writes dates: in the language's own way, or ISO 8601 (2026-12-03) for everyone.
    date_format: Literal["locale", "iso"] | None = None


class UserView(Model):
    id: str
    email: str
    name: str
    email_verified: bool
    created_at: str


class SignInView(Model):
    """The answer to a sign-in or a refresh; the tokens themselves travel only in HttpOnly cookies."""

    user: UserView
    workspace_id: str
    access_token_expires_at: str

    @classmethod
    def of(cls, signed_in: SignedIn, *, now: datetime) -> SignInView:
        return cls(
            user=UserView.model_validate(signed_in.user),
            workspace_id=signed_in.workspace_id,
            access_token_expires_at=iso(now + timedelta(seconds=LIFETIME_SECONDS)),
        )


class Preferences(Model):
    locale: str | None = None
    theme: str | None = None
    density: str | None = None
    date_format: str | None = None


class ProfileUpdate(Strict):
    """Only the fields present change. A new email needs the current password and takes effect once
    confirmed from that address."""

    name: PersonName | None = None
    email: EmailAddress | None = None
    current_password: GivenPassword | None = Field(default=None, description="Required to change the email")


class AcceptInvitationRequest(Strict):
    """An existing account gives its password; a new one also its name (and chooses a password)."""

    token: OneTimeToken
    password: NewPassword
    name: PersonName | None = None


class SwitchWorkspaceRequest(Strict):
    workspace_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
