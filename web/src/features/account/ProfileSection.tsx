/** Name, email address (verification and change) and password. */
import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { sessionKey, type Session } from "../../app/session";
import { Badge, Button, Field, Notice } from "../../ui";
import { formErrors, looksLikeEmail } from "./forms";
import { PasswordStrength } from "../auth/PasswordStrength";
import { relatedWords } from "../auth/strength";
import styles from "./AccountPage.module.css";

export function ProfileSection({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  return (
    <section className="card" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("profile.title")}</h2>
      <NameForm session={session} />
      <hr className={styles.divider} />
      <EmailState session={session} />
      <EmailChangeForm session={session} />
    </section>
  );
}

function NameForm({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const [name, setName] = useState(session.user.name);
  const [localError, setLocalError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async (value: string) => unwrap(await api.PATCH("/auth/me", { body: { name: value } })),
    onSuccess: (profile) => queryClient.setQueryData(sessionKey, profile.session),
  });
  const errors = formErrors(save.error, t("common:error.generic"), ["name"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setLocalError(t("profile.nameRequired"));
      return;
    }
    setLocalError(null);
    if (!save.isPending) save.mutate(name.trim());
  }

  return (
    <form onSubmit={submit} noValidate className={styles.inlineForm}>
      {errors.form && <Notice tone="danger">{errors.form}</Notice>}
      <Field label={t("profile.name")} error={localError ?? errors.fields.name}>
        <input
          className="input"
          autoComplete="name"
          maxLength={120}
          value={name}
          onChange={(event) => {
            save.reset();
            setName(event.target.value);
          }}
        />
      </Field>
      <div className={styles.inlineAction}>
        <Button type="submit" busy={save.isPending} disabled={name.trim() === session.user.name}>
          {t("profile.saveName")}
        </Button>
      </div>
      {save.isSuccess && (
        <p className={`small ${styles.saved}`} role="status">
          {t("profile.nameSaved")}
        </p>
      )}
    </form>
  );
}

function EmailState({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const resend = useMutation({
    mutationFn: async () => unwrap(await api.POST("/auth/verify-email/resend")),
    onError: (error) => {
      // Verified meanwhile (in another tab, from the email): show the account as it is now.
      if (error instanceof ApiError && error.code === "already_verified") {
        void queryClient.invalidateQueries({ queryKey: sessionKey });
      }
    },
  });
  const alreadyVerified = resend.error instanceof ApiError && resend.error.code === "already_verified";
  return (
    <div className={styles.emailState}>
      <p className={styles.emailLine}>
        <span className="muted">{t("profile.email")}</span> <strong>{session.user.email}</strong>{" "}
        {session.user.email_verified ? (
          <Badge tone="success">{t("profile.verified")}</Badge>
        ) : (
          <Badge tone="warning">{t("profile.notVerified")}</Badge>
        )}
      </p>
      {!session.user.email_verified && (
        <>
          <p className="small muted">{t("profile.notVerifiedText")}</p>
          {resend.isSuccess ? (
            <Notice tone="success">{t("profile.resent", { email: session.user.email })}</Notice>
          ) : (
            <Button small busy={resend.isPending} onClick={() => resend.mutate()}>
              {t("profile.resend")}
            </Button>
          )}
          {resend.error && (
            <Notice tone={alreadyVerified ? "info" : "danger"}>
              {resend.error instanceof ApiError ? resend.error.message : t("common:error.generic")}
            </Notice>
          )}
        </>
      )}
    </div>
  );
}

function EmailChangeForm({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  // The API tells where the link went only in this answer: the pending state lives as long as the screen.
  const [sentTo, setSentTo] = useState<string | null>(null);

  const change = useMutation({
    mutationFn: async (body: { email: string; current_password: string }) =>
      unwrap(await api.PATCH("/auth/me", { body })),
    onSuccess: (profile) => {
      queryClient.setQueryData(sessionKey, profile.session);
      setSentTo(profile.email_change_sent_to ?? email.trim());
      setEmail("");
      setPassword("");
      setOpen(false);
    },
  });
  const errors = formErrors(change.error, t("common:error.generic"), ["email", "current_password"]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!looksLikeEmail(email)) problems.email = t("profile.emailInvalid");
    else if (email.trim().toLowerCase() === session.user.email.toLowerCase()) problems.email = t("profile.emailSame");
    if (!password) problems.current_password = t("profile.passwordRequired");
    setLocal(problems);
    if (Object.keys(problems).length === 0 && !change.isPending) {
      change.mutate({ email: email.trim(), current_password: password });
    }
  }

  return (
    <div className={styles.subsection}>
      {sentTo && (
        <Notice tone="success">
          <strong>{t("profile.pendingTitle", { email: sentTo })}</strong>
          <br />
          {t("profile.pendingText", { email: sentTo, old: session.user.email })}
        </Notice>
      )}
      {!open ? (
        <Button onClick={() => setOpen(true)}>{t("profile.changeEmail")}</Button>
      ) : (
        <form onSubmit={submit} noValidate>
          <h3>{t("profile.changeEmail")}</h3>
          <p className="small muted">{t("profile.changeEmailText")}</p>
          {errors.form && <Notice tone="danger">{errors.form}</Notice>}
          <div className="form-grid">
            <Field label={t("profile.newEmail")} error={local.email ?? errors.fields.email}>
              <input
                className="input"
                type="email"
                autoComplete="email"
                maxLength={254}
                value={email}
                onChange={(event) => setEmail(event.target.value)}
              />
            </Field>
            <Field label={t("profile.currentPassword")} error={local.current_password ?? errors.fields.current_password}>
              <input
                className="input"
                type="password"
                autoComplete="current-password"
                maxLength={128}
                value={password}
                onChange={(event) => setPassword(event.target.value)}
              />
            </Field>
          </div>
          <div className="form-actions">
            <Button type="submit" variant="primary" busy={change.isPending}>
              {t("profile.sendLink")}
            </Button>
            <Button
              onClick={() => {
                setOpen(false);
                setLocal({});
                change.reset();
              }}
            >
              {t("common:actions.cancel")}
            </Button>
          </div>
        </form>
      )}
    </div>
  );
}

export function PasswordSection({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const change = useMutation({
    mutationFn: async (body: { current_password: string; new_password: string }) =>
      unwrap(await api.POST("/auth/password/change", { body })),
    onSuccess: () => {
      setCurrent("");
      setNext("");
    },
  });
  const errors = formErrors(change.error, t("common:error.generic"), ["current_password", "new_password"]);
  // The same meter as sign-up's (zxcvbn, as the server judges), with the person's own words counted against it.
  const related = relatedWords(session.user.email, session.user.name);

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!current) problems.current_password = t("profile.passwordRequired");
    if (next.length < 8) problems.new_password = t("password.tooShort");
    setLocal(problems);
    if (Object.keys(problems).length === 0 && !change.isPending) {
      change.mutate({ current_password: current, new_password: next });
    }
  }

  return (
    <section className="card" aria-labelledby="password-title">
      <h2 id="password-title">{t("password.title")}</h2>
      <p className="small muted">{t("password.text")}</p>
      {change.isSuccess && <Notice tone="success">{t("password.changed")}</Notice>}
      {errors.form && <Notice tone="danger">{errors.form}</Notice>}
      <form onSubmit={submit} noValidate>
        <div className="form-grid">
          <Field label={t("profile.currentPassword")} error={local.current_password ?? errors.fields.current_password}>
            <input
              className="input"
              type="password"
              autoComplete="current-password"
              maxLength={128}
              value={current}
              onChange={(event) => setCurrent(event.target.value)}
            />
          </Field>
          <Field
            label={t("password.new")}
            hint={<PasswordStrength password={next} related={related} />}
            error={local.new_password ?? errors.fields.new_password}
          >
            <input
              className="input"
              type="password"
              autoComplete="new-password"
              maxLength={128}
              value={next}
              onChange={(event) => {
                change.reset();
                setNext(event.target.value);
              }}
            />
          </Field>
        </div>
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={change.isPending}>
            {t("password.submit")}
          </Button>
        </div>
      </form>
    </section>
  );
}
