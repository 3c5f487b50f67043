import { useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { sessionKey } from "../../app/session";
import { Button, Notice } from "../../ui";
import { checkNewPassword, compact, hasErrors, serverErrors, type FieldErrors } from "./forms";
import { MissingToken, Outcome, useLinkToken } from "./links";
import { NewPasswordFields } from "./NewPasswordFields";
import styles from "./Auth.module.css";

/** /reset-password?token=: the link from the reset email. */
export default function ResetPasswordPage() {
  const { t } = useTranslation("auth");
  const token = useLinkToken();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const reset = useMutation({
    mutationFn: async () => {
      unwrap(await api.POST("/auth/password/reset", { body: { token: token as string, password } }));
    },
    // Every session of the account ended, perhaps this browser's too.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKey }),
    onError: (error) => setErrors(serverErrors(error, ["password"]).fields),
  });

  if (!token) return <MissingToken />;

  if (reset.isSuccess) {
    return (
      <Outcome title={t("reset.doneTitle")}>
        <p>{t("reset.doneText")}</p>
        <div className={styles.actions}>
          <Link className="btn btn-primary" to="/sign-in">
            {t("reset.signIn")}
          </Link>
        </div>
      </Outcome>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reset.isPending) return;
    const found = compact({
      password: checkNewPassword(password, t),
      confirm: confirm === password ? undefined : confirm ? t("validation.mismatch") : t("validation.required"),
    });
    setErrors(found);
    if (!hasErrors(found)) reset.mutate();
  };
  const formError = reset.isError ? serverErrors(reset.error, ["password"]).message : undefined;
  // A used or expired link (400): only a new link helps.
  const linkDead = reset.error instanceof ApiError && reset.error.status === 400;

  return (
    <>
      <h1 className={styles.title}>{t("reset.title")}</h1>
      <p className={styles.subtitle}>{t("reset.text")}</p>
      {formError && (
        <div className={styles.notice}>
          <Notice tone="danger">
            {formError}
            {linkDead && (
              <>
                {" "}
                <Link to="/forgot-password">{t("reset.newLink")}</Link>
              </>
            )}
          </Notice>
        </div>
      )}
      <form className={styles.form} onSubmit={submit} noValidate>
        <NewPasswordFields
          password={password}
          confirm={confirm}
          errors={errors}
          onPassword={(value) => {
            setPassword(value);
            setErrors((current) => ({ ...current, password: undefined }));
          }}
          onConfirm={(value) => {
            setConfirm(value);
            setErrors((current) => ({ ...current, confirm: undefined }));
          }}
        />
        <Button type="submit" variant="primary" busy={reset.isPending}>
          {t("reset.submit")}
        </Button>
      </form>
      <div className={styles.links}>
        <Link to="/sign-in">{t("forgot.back")}</Link>
      </div>
    </>
  );
}
