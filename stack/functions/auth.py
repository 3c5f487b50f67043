"""Sign-up, sign-in, sessions, the account's email and password, invitations accepted, workspace switching."""

from __future__ import annotations

from stack.base import BREVO_API_KEY, JWT, ORIGIN_VERIFY, RESET_EMAIL_QUEUE
from stack.blocks import query, secret, send_to, table
from stack.function import FULL_VCPU_MB, Consume, Function, Http, Throttle
from stack.key_families import EMAILS, SIGNED_IN, THROTTLES, TOKENS, USERS

FUNCTIONS = (
    Function(
        "Signup",
        handler="functions/auth/signup.handler",
        event=Http("POST /auth/signup", throttle=Throttle(rate=5, burst=10)),
        permissions=(
            table("PutItem"),
            secret(JWT, BREVO_API_KEY),
        ),
        keys=(EMAILS, TOKENS, *SIGNED_IN),
        memory=FULL_VCPU_MB,  # one argon2id hash or verification per request
    ),
    Function(
        "VerifyEmail",
        handler="functions/auth/verify_email.handler",
        event=Http("POST /auth/verify-email", throttle=Throttle(rate=10, burst=20)),
        permissions=(table("GetItem", "DeleteItem", "UpdateItem"),),
        keys=(TOKENS, USERS),
    ),
    Function(
        "UpdateMe",
        handler="functions/auth/update_me.handler",
        event=Http("PATCH /auth/me"),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem", "DeleteItem"),
            secret(JWT, BREVO_API_KEY),
            query("gsi1"),
        ),
        keys=(EMAILS, TOKENS, *SIGNED_IN),
    ),
    Function(
        "ConfirmEmail",
        handler="functions/auth/confirm_email.handler",
        event=Http("POST /auth/email/confirm", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("GetItem", "BatchGetItem", "DeleteItem", "UpdateItem", "PutItem"),
            query("gsi1"),
        ),
        keys=(EMAILS, TOKENS, USERS),
    ),
    Function(
        "CancelEmailChange",
        handler="functions/auth/cancel_email_change.handler",
        event=Http("POST /auth/email/cancel", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("GetItem", "DeleteItem", "UpdateItem", "PutItem"),
            query("gsi1"),
        ),
        keys=(EMAILS, TOKENS, USERS),
    ),
    Function(
        "ResendVerification",
        handler="functions/auth/resend_verification.handler",
        event=Http("POST /auth/verify-email/resend"),
        permissions=(
            table("BatchGetItem", "PutItem"),
            secret(JWT, BREVO_API_KEY),
        ),
        keys=(TOKENS, *SIGNED_IN),
    ),
    Function(
        "Login",
        handler="functions/auth/login.handler",
        event=Http("POST /auth/login", throttle=Throttle(rate=10, burst=20)),
        permissions=(
            table("BatchGetItem", "GetItem", "PutItem", "UpdateItem", "DeleteItem"),
            secret(JWT, ORIGIN_VERIFY),
        ),
        keys=(EMAILS, THROTTLES, USERS),
        memory=FULL_VCPU_MB,  # one argon2id hash or verification per request
        snap_start=True,  # the first request of every working session
    ),
    Function(
        "Refresh",
        handler="functions/auth/refresh.handler",
        # Every signed-in tab refreshes about every 15 minutes, and signs out through logout.
        event=Http("POST /auth/refresh", throttle=Throttle(rate=50, burst=100)),
        permissions=(
            table("BatchGetItem", "UpdateItem"),
            secret(JWT),
        ),
        keys=(USERS,),
    ),
    Function(
        "Logout",
        handler="functions/auth/logout.handler",
        event=Http("POST /auth/logout", throttle=Throttle(rate=20, burst=40)),
        permissions=(
            table("UpdateItem"),
            secret(JWT),
        ),
        keys=(USERS,),
    ),
    Function(
        "Me",
        handler="functions/auth/me.handler",
        event=Http("GET /auth/me"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
        snap_start=True,  # every load of the web app asks it first
    ),
    Function(
        "Preferences",
        handler="functions/auth/preferences.handler",
        event=Http("PUT /auth/preferences"),
        permissions=(
            table("BatchGetItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "ForgotPassword",
        handler="functions/auth/forgot_password.handler",
        event=Http("POST /auth/password/forgot", throttle=Throttle(rate=5, burst=10)),
        # Only queues the request, so that a known and an unknown address answer in the same time.
        permissions=(send_to(RESET_EMAIL_QUEUE),),
        keys=SIGNED_IN,
    ),
    Function(
        "ResetEmailWorker",
        handler="functions/auth/reset_email_worker.handler",
        event=Consume(RESET_EMAIL_QUEUE, batch_size=10),
        permissions=(
            table("BatchGetItem", "PutItem", "DeleteItem"),
            query("gsi1"),
            secret(BREVO_API_KEY),
        ),
        keys=(EMAILS, THROTTLES, TOKENS, USERS),
        timeout=30,
    ),
    Function(
        "ResetPassword",
        handler="functions/auth/reset_password.handler",
        event=Http("POST /auth/password/reset", throttle=Throttle(rate=5, burst=10)),
        permissions=(
            table("GetItem", "UpdateItem", "DeleteItem"),
            query("gsi1"),
        ),
        keys=(THROTTLES, TOKENS, *SIGNED_IN),
        memory=FULL_VCPU_MB,  # one argon2id hash or verification per request
    ),
    Function(
        "ChangePassword",
        handler="functions/auth/change_password.handler",
        event=Http("POST /auth/password/change"),
        permissions=(
            table("BatchGetItem", "UpdateItem", "PutItem", "DeleteItem"),
            secret(JWT),
            query("gsi1"),
        ),
        keys=(TOKENS, *SIGNED_IN),
        memory=FULL_VCPU_MB,  # one argon2id hash or verification per request
    ),
    Function(
        "AcceptInvitation",
        handler="functions/auth/accept_invitation.handler",
        event=Http("POST /auth/invitations/accept", throttle=Throttle(rate=5, burst=10)),
        permissions=(
            table("GetItem", "BatchGetItem", "PutItem", "UpdateItem", "DeleteItem"),
            secret(JWT, ORIGIN_VERIFY),
        ),
        keys=(EMAILS, THROTTLES, TOKENS, *SIGNED_IN),
        memory=FULL_VCPU_MB,  # one argon2id hash or verification per request
    ),
    Function(
        "SwitchWorkspace",
        handler="functions/auth/switch_workspace.handler",
        event=Http("POST /auth/switch-workspace"),
        permissions=(
            table("BatchGetItem", "UpdateItem", "ConditionCheckItem"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
    Function(
        "MyWorkspaces",
        handler="functions/auth/my_workspaces.handler",
        event=Http("GET /auth/workspaces"),
        permissions=(
            table("BatchGetItem", "Query"),
            secret(JWT),
        ),
        keys=SIGNED_IN,
    ),
)
