import { useState, type FormEvent } from "react";
import { Link, Navigate, useNavigate, useSearchParams } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { sessionKey, useSession } from "../../app/session";
import { Button, Field, Notice } from "../../ui";
import { checkEmail, checkRequired, compact, hasErrors, safeNext, serverErrors, type FieldErrors } from "./forms";
import styles from "./Auth.module.css";

const FIELDS = ["email", "password"] as const;

export default function SignInPage() {
  const { t } = useTranslation("auth");
  const [params] = useSearchParams();
  const destination = safeNext(params.get("next"));
  const session = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const signIn = useMutation({
    mutationFn: async () => unwrap(await api.POST("/auth/login", { body: { email: email.trim(), password } })),
    onSuccess: async () => {
      // The answer names the user but not the role: read the whole session before the app shows.
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      await navigate(destination, { replace: true });
    },
    onError: (error) => setErrors(serverErrors(error, FIELDS).fields),
  });

  // Already signed in (or just signed in): straight to where they were going.
  if (session.data && !signIn.isPending) return <Navigate to={destination} replace />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (signIn.isPending) return;
    const found = compact({ email: checkEmail(email, t), password: checkRequired(password, t, 128) });
    setErrors(found);
    if (hasErrors(found)) return;
    signIn.mutate();
  };
  const formError = signIn.isError ? serverErrors(signIn.error, FIELDS).message : undefined;

  return (
    <>
      <h1 className={styles.title}>{t("signIn.title")}</h1>
      <p className={styles.subtitle}>{t("signIn.subtitle")}</p>
      {formError && (
        <div className={styles.notice}>
          <Notice tone="danger">{formError}</Notice>
        </div>
      )}
      <form className={styles.form} onSubmit={submit} noValidate>
        <Field label={t("fields.email")} error={errors.email}>
          <input
            className="input"
            type="email"
            name="email"
            autoComplete="username"
            inputMode="email"
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              setErrors((current) => ({ ...current, email: undefined }));
            }}
          />
        </Field>
        <Field label={t("fields.password")} error={errors.password}>
          <input
            className="input"
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setErrors((current) => ({ ...current, password: undefined }));
            }}
          />
        </Field>
        <Button type="submit" variant="primary" busy={signIn.isPending}>
          {t("signIn.submit")}
        </Button>
      </form>
      <div className={styles.links}>
        <Link to="/forgot-password">{t("signIn.forgot")}</Link>
        <p>
          {t("signIn.noAccount")} <Link to="/sign-up">{t("signIn.signUp")}</Link>
        </p>
      </div>
    </>
  );
}
