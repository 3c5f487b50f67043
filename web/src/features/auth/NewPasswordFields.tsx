import { useTranslation } from "react-i18next";
import { Field } from "../../ui";
import { PasswordStrength } from "./PasswordStrength";

interface NewPasswordFieldsProps {
  password: string;
  confirm: string;
  related?: string[];
  errors: { password?: string; confirm?: string };
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
}

/** A new password with its strength meter, typed twice (reset password; the join page's new account). */
export function NewPasswordFields({ password, confirm, related, errors, onPassword, onConfirm }: NewPasswordFieldsProps) {
  const { t } = useTranslation("auth");
  return (
    <>
      <Field label={t("fields.newPassword")} hint={<PasswordStrength password={password} related={related} />} error={errors.password}>
        <input
          className="input"
          type="password"
          name="new-password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => onPassword(event.target.value)}
        />
      </Field>
      <Field label={t("fields.confirmPassword")} error={errors.confirm}>
        <input
          className="input"
          type="password"
          name="confirm-password"
          autoComplete="new-password"
          value={confirm}
          onChange={(event) => onConfirm(event.target.value)}
        />
      </Field>
    </>
  );
}
