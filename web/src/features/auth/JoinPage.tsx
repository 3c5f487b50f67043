import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import { sessionKey } from "../../app/session";
import { Button, Field, Notice } from "../../ui";
import { checkNewPassword, checkRequired, compact, hasErrors, serverErrors, type FieldErrors } from "./forms";
import { MissingToken, useLinkToken } from "./links";
import { NewPasswordFields } from "./NewPasswordFields";
import { relatedWords } from "./strength";
import styles from "./Auth.module.css";

type Who = "new" | "existing";

/**
 * /join?token=: an invitation. AcceptInvitationRequest takes the password and, for a new account, a name; the
 * app cannot tell from the token whether the invited address has an account, so the person says which. If
 * they are wrong the API says so (a new account without a name: 422 name_required; an existing one: its
 * password is checked), and the form follows.
 */
export default function JoinPage() {
  const { t } = useTranslation("auth");
  const token = useLinkToken();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [who, setWho] = useState<Who>("new");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<FieldErrors>({});

  const join = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST("/auth/invitations/accept", {
          body: { token: token as string, password, name: who === "new" ? name.trim() : null },
        }),
      ),
    onSuccess: async () => {
      // Signed in, in the workspace that invited them.
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      await navigate("/", { replace: true });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === "name_required") setWho("new");
      setErrors(serverErrors(error, ["name", "password"]).fields);
    },
  });

  if (!token) return <MissingToken />;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (join.isPending) return;
    const found =
      who === "new"
        ? compact({
            name: checkRequired(name, t),
            password: checkNewPassword(password, t),
            confirm: confirm === password ? undefined : confirm ? t("validation.mismatch") : t("validation.required"),
          })
        : compact({ password: password ? undefined : t("validation.required") });
    setErrors(found);
    if (!hasErrors(found)) join.mutate();
  };
  const formError = join.isError ? serverErrors(join.error, ["name", "password"]).message : undefined;
  const alreadyMember = join.error instanceof ApiError && join.error.code === "already_member";

  return (
    <>
      <h1 className={styles.title}>{t("join.title")}</h1>
      <p className={styles.subtitle}>{t("join.text")}</p>
      {formError && (
        <div className={styles.notice}>
          <Notice tone={alreadyMember ? "info" : "danger"}>
            {formError}
            {alreadyMember && (
              <>
                {" "}
                <Link to="/">{t("join.goHome")}</Link>
              </>
            )}
          </Notice>
        </div>
      )}
      <form className={styles.form} onSubmit={submit} noValidate>
        <fieldset className={styles.choice}>
          <legend>{t("join.question")}</legend>
          {(["new", "existing"] as const).map((option) => (
            <label key={option}>
              <input
                type="radio"
                name="who"
                value={option}
                checked={who === option}
                onChange={() => {
                  setWho(option);
                  setErrors({});
                }}
              />
              {t(`join.${option}`)}
            </label>
          ))}
        </fieldset>
        {who === "new" ? (
          <>
            <Field label={t("fields.name")} error={errors.name}>
              <input
                className="input"
                name="name"
                autoComplete="name"
                maxLength={120}
                value={name}
                onChange={(event) => {
                  setName(event.target.value);
                  setErrors((current) => ({ ...current, name: undefined }));
                }}
              />
            </Field>
            <NewPasswordFields
              password={password}
              confirm={confirm}
              related={relatedWords(name)}
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
          </>
        ) : (
          <Field label={t("fields.password")} hint={t("join.existingHint")} error={errors.password}>
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
        )}
        <Button type="submit" variant="primary" busy={join.isPending}>
          {t("join.submit")}
        </Button>
      </form>
      <div className={styles.links}>
        <Link to="/forgot-password">{t("signIn.forgot")}</Link>
      </div>
    </>
  );
}
