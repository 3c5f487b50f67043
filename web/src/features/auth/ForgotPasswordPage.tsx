import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { Button, Field, Notice } from "../../ui";
import { checkEmail, compact, hasErrors, serverErrors, type FieldErrors } from "./forms";
import styles from "./Auth.module.css";

const FIELDS = ["email"] as const;

/** Always the same neutral answer: the API never says whether an address has an account. */
export default function ForgotPasswordPage() {
  const { t } = useTranslation("auth");
  const [email, setEmail] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});
  const ask = useMutation({
    mutationFn: async (address: string) => {
      unwrap(await api.POST("/auth/password/forgot", { body: { email: address } }));
      return address;
    },
    onError: (error) => setErrors(serverErrors(error, FIELDS).fields),
  });

  if (ask.isSuccess) {
    return (
      <section aria-labelledby="forgot-sent-title">
        <h1 id="forgot-sent-title" className={styles.title}>
          {t("forgot.sentTitle")}
        </h1>
        <p>{t("forgot.sentText", { email: ask.data })}</p>
        <p className="muted">{t("forgot.sentHelp")}</p>
        <div className={styles.actions}>
          <Link className="btn btn-primary" to="/sign-in">
            {t("forgot.back")}
          </Link>
          <Button variant="ghost" onClick={() => ask.reset()}>
            {t("forgot.again")}
          </Button>
        </div>
      </section>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (ask.isPending) return;
    const found = compact({ email: checkEmail(email, t) });
    setErrors(found);
    if (!hasErrors(found)) ask.mutate(email.trim());
  };
  const formError = ask.isError ? serverErrors(ask.error, FIELDS).message : undefined;

  return (
    <>
      <h1 className={styles.title}>{t("forgot.title")}</h1>
      <p className={styles.subtitle}>{t("forgot.text")}</p>
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
              setErrors({});
            }}
          />
        </Field>
        <Button type="submit" variant="primary" busy={ask.isPending}>
          {t("forgot.submit")}
        </Button>
      </form>
      <div className={styles.links}>
        <Link to="/sign-in">{t("forgot.back")}</Link>
      </div>
    </>
  );
}
