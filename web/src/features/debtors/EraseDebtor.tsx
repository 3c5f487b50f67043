import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button, ConfirmDialog, Notice, errorMessage } from "../../ui";
import { useEraseDebtor, type Debtor } from "./api";
import { useSingleFlight } from "./singleFlight";

/**
 * Erasing a debtor (DELETE /debtors/{id}): refused by the API while debts are open. What goes and what stays is
 * the rule of collectra/privacy (docs/privacy.md rows 15 and 16), said in full before the user agrees.
 */
export function EraseDebtor({ debtor, onErased }: { debtor: Debtor; onErased: () => void }) {
  const { t } = useTranslation("debtors");
  const erase = useEraseDebtor(debtor.id);
  const [open, setOpen] = useState(false);
  const once = useSingleFlight();

  return (
    <section className="card" aria-labelledby="erase-debtor-title">
      <h2 id="erase-debtor-title">{t("erase.title")}</h2>
      <p className="muted">{t("erase.about")}</p>
      {debtor.open_debts > 0 && <Notice tone="warning">{t("erase.openDebts", { count: debtor.open_debts })}</Notice>}
      {erase.error && <Notice tone="danger">{errorMessage(erase.error, t("common:error.generic"))}</Notice>}
      <div className="form-actions">
        <Button variant="danger" onClick={() => setOpen(true)}>
          {t("erase.button")}
        </Button>
      </div>
      <ConfirmDialog
        open={open}
        title={t("erase.confirmTitle", { name: debtor.name })}
        confirmLabel={t("erase.confirm")}
        danger
        busy={erase.isPending}
        onCancel={() => setOpen(false)}
        onConfirm={() =>
          once((done) =>
            erase.mutate(undefined, {
              onSettled: done,
              onSuccess: () => {
                setOpen(false);
                onErased();
              },
              onError: () => setOpen(false),
            }),
          )
        }
      >
        <ul>
          <li>{t("erase.gone")}</li>
          <li>{t("erase.kept")}</li>
          <li>{t("erase.stops")}</li>
          <li>{t("erase.exports")}</li>
        </ul>
        <p>
          <strong>{t("erase.final")}</strong>
        </p>
      </ConfirmDialog>
    </section>
  );
}
