import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { sessionKey, type Session } from "../../app/session";
import { Button, Field, Notice } from "../../ui";
import { checkEmail, checkNewPassword, checkRequired, compact, hasErrors, serverErrors, type FieldErrors } from "./forms";
import { PasswordStrength } from "./PasswordStrength";
import { relatedWords } from "./strength";
import { ResendVerification } from "./ResendVerification";
import styles from "./Auth.module.css";

const FIELDS = ["name", "workspace_name", "email", "password"] as const;
type Form = Record<(typeof FIELDS)[number], string>;

export default function SignUpPage() {
  const { t } = useTranslation("auth");
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>({ name: "", workspace_name: "", email: "", password: "" });
  const [errors, setErrors] = useState<FieldErrors>({});

  const signUp = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/auth/signup", {
          body: {
            name: form.name.trim(),
            workspace_name: form.workspace_name.trim(),
            email: form.email.trim(),
            password: form.password,
          },
        }),
      ),
    // 201 answers the whole session (user, workspace, role) and sets the cookies: the app is signed in now.
    onSuccess: (session: Session) => queryClient.setQueryData(sessionKey, session),
    onError: (error) => setErrors(serverErrors(error, FIELDS).fields),
  });

  if (signUp.isSuccess) return <CheckInbox email={signUp.data.user.email} />;

  const change = (field: keyof Form) => (event: { target: { value: string } }) => {
    setForm((current) => ({ ...current, [field]: event.target.value }));
    setErrors((current) => ({ ...current, [field]: undefined }));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signUp.isPending) return;
    const found = compact({
      name: checkRequired(form.name, t),
      workspace_name: checkRequired(form.workspace_name, t),
      email: checkEmail(form.email, t),
      password: checkNewPassword(form.password, t),
    });
    setErrors(found);
    if (hasErrors(found)) return;
    signUp.mutate();
  };
  const formError = signUp.isError ? serverErrors(signUp.error, FIELDS).message : undefined;

  return (
    <>
      <h1 className={styles.title}>{t("signUp.title")}</h1>
      <p className={styles.subtitle}>{t("signUp.subtitle")}</p>
      {formError && (
        <div className={styles.notice}>
          <Notice tone="danger">{formError}</Notice>
        </div>
      )}
      <form className={styles.form} onSubmit={submit} noValidate>
        <Field label={t("fields.name")} error={errors.name}>
          <input className="input" name="name" autoComplete="name" maxLength={120} value={form.name} onChange={change("name")} />
        </Field>
        <Field label={t("fields.workspaceName")} hint={t("fields.workspaceNameHint")} error={errors.workspace_name}>
          <input
            className="input"
            name="workspace_name"
            autoComplete="organization"
            maxLength={120}
            value={form.workspace_name}
            onChange={change("workspace_name")}
          />
        </Field>
        <Field label={t("fields.email")} error={errors.email}>
          <input
            className="input"
            type="email"
            name="email"
            autoComplete="email"
            inputMode="email"
            value={form.email}
            onChange={change("email")}
          />
        </Field>
        <Field
          label={t("fields.password")}
          hint={<PasswordStrength password={form.password} related={relatedWords(form.email, form.name, form.workspace_name)} />}
          error={errors.password}
        >
          <input
            className="input"
            type="password"
            name="password"
            autoComplete="new-password"
            value={form.password}
            onChange={change("password")}
          />
        </Field>
        <p className="small muted">
          {t("signUp.terms")} <a href="/app/privacy">{t("common:privacyPolicy")}</a>
        </p>
        <Button type="submit" variant="primary" busy={signUp.isPending}>
          {t("signUp.submit")}
        </Button>
      </form>
      <div className={styles.links}>
        <p>
          {t("signUp.haveAccount")} <Link to="/sign-in">{t("signUp.signIn")}</Link>
        </p>
      </div>
    </>
  );
}

/** After signing up: signed in already, asked to confirm the address (the link can be sent again). */
function CheckInbox({ email }: { email: string }) {
  const { t } = useTranslation("auth");
  return (
    <section aria-labelledby="check-inbox-title">
      <h1 id="check-inbox-title" className={styles.title}>
        {t("checkInbox.title")}
      </h1>
      <p>{t("checkInbox.text", { email })}</p>
      <p className="muted">{t("checkInbox.later")}</p>
      <ResendVerification
        email={email}
        label={t("checkInbox.resend")}
        before={
          <Link className="btn btn-primary" to="/">
            {t("checkInbox.continue")}
          </Link>
        }
      />
    </section>
  );
}
