/**
 * Deleting the account, or the current workspace: each behind a dialog that says exactly what goes, what is
 * kept and for how long (collectra/privacy/deletion.py, erasure.py; docs/privacy.md rows 15 and 16), and
 * asks for the password as the API does (DeletionRequest). Afterwards the person is signed out and sees
 * a goodbye on the public privacy page (router state, nothing stored).
 */
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { can, type Session } from "../../app/session";
import { Button, ConfirmDialog, Field, Notice } from "../../ui";
import { formErrors } from "./forms";
import styles from "./AccountPage.module.css";

export type Goodbye =
  | { kind: "account"; workspacesDeleted: string[]; workspacesLeft: string[] }
  | { kind: "workspace"; workspace: string; keptUntil: string };

export function DeletionSection({ session }: { session: Session }) {
  const { t } = useTranslation("account");
  const owner = can(session.role, "workspace:delete");
  const [open, setOpen] = useState<"account" | "workspace" | null>(null);
  return (
    <section className={`card ${styles.danger}`} aria-labelledby="delete-title">
      <h2 id="delete-title">{t("delete.title")}</h2>
      <div className={styles.dangerRow}>
        <div>
          <h3>{t("delete.account.title")}</h3>
          <p className="small muted">{t("delete.account.summary")}</p>
        </div>
        <Button variant="danger" onClick={() => setOpen("account")}>
          {t("delete.account.button")}
        </Button>
      </div>
      <div className={styles.dangerRow}>
        <div>
          <h3>{t("delete.workspace.title", { workspace: session.workspace.name })}</h3>
          <p className="small muted">
            {owner ? t("delete.workspace.summary") : t("delete.workspace.ownersOnly")}
          </p>
        </div>
        {owner && (
          <Button variant="danger" onClick={() => setOpen("workspace")}>
            {t("delete.workspace.button")}
          </Button>
        )}
      </div>
      {open === "account" && <DeleteAccountDialog session={session} onClose={() => setOpen(null)} />}
      {open === "workspace" && <DeleteWorkspaceDialog session={session} onClose={() => setOpen(null)} />}
    </section>
  );
}

function useFarewell() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  return async (goodbye: Goodbye) => {
    // The API has cleared the cookies: leave the signed-in screens first, then forget what was cached.
    await navigate("/privacy", { replace: true, state: { goodbye } });
    queryClient.clear();
  };
}

function PasswordField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange: (value: string) => void;
  error: string | null | undefined;
}) {
  const { t } = useTranslation("account");
  return (
    <Field label={t("delete.password")} hint={t("delete.passwordHint")} error={error}>
      <input
        className="input"
        type="password"
        autoComplete="current-password"
        maxLength={128}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
    </Field>
  );
}

function DeleteAccountDialog({ session, onClose }: { session: Session; onClose: () => void }) {
  const { t } = useTranslation("account");
  const farewell = useFarewell();
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);
  const workspaces = useQuery({
    queryKey: ["my-workspaces"],
    queryFn: async () => unwrap(await api.GET("/auth/workspaces")).workspaces,
    staleTime: 60_000,
  });
  const owned = (workspaces.data ?? []).filter((workspace) => workspace.role === "owner").map((w) => w.name);
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/account", { body: { password } })),
    onSuccess: (outcome) => {
      const names = new Map((workspaces.data ?? []).map((workspace) => [workspace.id, workspace.name]));
      void farewell({
        kind: "account",
        workspacesDeleted: outcome.workspaces_deleted.map((id) => names.get(id) ?? id),
        workspacesLeft: outcome.workspaces_left.map((id) => names.get(id) ?? id),
      });
    },
  });
  const errors = formErrors(remove.error, t("common:error.generic"), ["password"]);

  return (
    <ConfirmDialog
      open
      title={t("delete.account.dialogTitle")}
      confirmLabel={t("delete.account.confirm")}
      danger
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => {
        if (!password) return setMissing(true);
        setMissing(false);
        if (!remove.isPending) remove.mutate();
      }}
    >
      <ul className={styles.consequences}>
        <li>{t("delete.account.goes", { email: session.user.email })}</li>
        <li>
          {t("delete.account.lastOwner")}
          {owned.length > 0 && <> {t("delete.account.youOwn", { list: owned.join(", ") })}</>}{" "}
          <Link to="/team">{t("delete.account.teamLink")}</Link>
        </li>
        <li>{t("delete.retention")}</li>
        <li>{t("delete.account.others")}</li>
        <li>{t("delete.account.exportFirst")}</li>
      </ul>
      <p>
        <strong>{t("delete.final")}</strong>
      </p>
      {errors.form && <Notice tone="danger">{errors.form}</Notice>}
      <PasswordField
        value={password}
        onChange={setPassword}
        error={missing ? t("profile.passwordRequired") : errors.fields.password}
      />
    </ConfirmDialog>
  );
}

function DeleteWorkspaceDialog({ session, onClose }: { session: Session; onClose: () => void }) {
  const { t } = useTranslation("account");
  const farewell = useFarewell();
  const [password, setPassword] = useState("");
  const [missing, setMissing] = useState(false);
  const name = session.workspace.name;
  const remove = useMutation({
    mutationFn: async () => unwrap(await api.DELETE("/workspace", { body: { password } })),
    onSuccess: (deletion) => {
      void farewell({ kind: "workspace", workspace: name, keptUntil: deletion.accounting_records_kept_until });
    },
  });
  const errors = formErrors(remove.error, t("common:error.generic"), ["password"]);

  return (
    <ConfirmDialog
      open
      title={t("delete.workspace.dialogTitle", { workspace: name })}
      confirmLabel={t("delete.workspace.confirm")}
      danger
      busy={remove.isPending}
      onCancel={onClose}
      onConfirm={() => {
        if (!password) return setMissing(true);
        setMissing(false);
        if (!remove.isPending) remove.mutate();
      }}
    >
      <ul className={styles.consequences}>
        <li>{t("delete.workspace.atOnce")}</li>
        <li>{t("delete.workspace.debtors")}</li>
        <li>{t("delete.workspace.erased")}</li>
        <li>{t("delete.retention")}</li>
        <li>{t("delete.workspace.account")}</li>
        <li>{t("delete.workspace.exportFirst")}</li>
      </ul>
      <p>
        <strong>{t("delete.final")}</strong>
      </p>
      {errors.form && <Notice tone="danger">{errors.form}</Notice>}
      <PasswordField
        value={password}
        onChange={setPassword}
        error={missing ? t("profile.passwordRequired") : errors.fields.password}
      />
    </ConfirmDialog>
  );
}
