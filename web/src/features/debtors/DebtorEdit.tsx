import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { Button, Notice, errorMessage } from "../../ui";
import { fetchDebtor, useUpdateDebtor, type Debtor } from "./api";
import { DebtorForm } from "./DebtorForm";
import { apiFieldErrors, clientErrors } from "./errors";
import { changedFields, updateBody, valuesOf, type FieldName, type FormErrors, type FormValues } from "./form";
import { useSingleFlight } from "./singleFlight";
import styles from "./Debtors.module.css";
import { TableScroll } from "../../ui";

interface Conflict {
  /** The debtor as saved now, by someone else. */
  saved: Debtor;
  /** The fields this user changed, and those changed by the other save, since the version the form was read from. */
  mine: FieldName[];
  theirs: FieldName[];
}

/**
 * Correcting a debtor with optimistic locking: the PATCH sends the `version` the form was read from. On a 409 the
 * saved debtor is fetched and the fields are shown side by side (yours, saved now); the user keeps theirs on top
 * of the saved version (a new PATCH with its version) or takes the saved one.
 */
export function DebtorEdit({ debtor, onSaved, onCancel }: { debtor: Debtor; onSaved: () => void; onCancel: () => void }) {
  const { t } = useTranslation("debtors");
  const update = useUpdateDebtor(debtor.id);
  const [base, setBase] = useState<Debtor>(debtor); // the version the form's edits apply to
  const [values, setValues] = useState<FormValues>(() => valuesOf(debtor));
  const [errors, setErrors] = useState<FormErrors>({});
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [conflictError, setConflictError] = useState<unknown>(null);
  const [loadingSaved, setLoadingSaved] = useState(false);
  const once = useSingleFlight();

  const save = (from: Debtor, draft: FormValues) => {
    const found = clientErrors(draft, t);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const fields = changedFields(valuesOf(from), draft);
    if (fields.length === 0) {
      onCancel(); // nothing to correct
      return;
    }
    once((done) =>
      update.mutate(updateBody(draft, fields, from.version), {
        onSettled: done,
        onSuccess: () => {
          setConflict(null);
          onSaved();
        },
        onError: (error) => {
          if (error instanceof ApiError && error.status === 409 && error.code === "version_conflict") {
            void showConflict(from, draft);
            return;
          }
          setConflict(null); // the form shows again, with the API's messages at its fields
          setErrors(apiFieldErrors(error));
        },
      }),
    );
  };

  const showConflict = async (from: Debtor, draft: FormValues) => {
    setLoadingSaved(true);
    setConflictError(null);
    try {
      const saved = await fetchDebtor(debtor.id);
      const before = valuesOf(from);
      setConflict({ saved, mine: changedFields(before, draft), theirs: changedFields(before, valuesOf(saved)) });
    } catch (error) {
      setConflictError(error);
    } finally {
      setLoadingSaved(false);
    }
  };

  const keepMine = () => {
    if (!conflict) return;
    // Your edits, on top of the saved version: the fields you did not touch take the saved values.
    const saved = valuesOf(conflict.saved);
    const draft = { ...saved };
    for (const field of conflict.mine) draft[field] = values[field];
    setBase(conflict.saved);
    setValues(draft);
    save(conflict.saved, draft);
  };

  const takeSaved = () => {
    if (!conflict) return;
    setBase(conflict.saved);
    setValues(valuesOf(conflict.saved));
    setConflict(null);
    setErrors({});
  };

  const fieldless = update.error && !conflict && Object.keys(apiFieldErrors(update.error)).length === 0;
  const show = (field: FieldName, source: FormValues) =>
    field === "kind" ? t(`kinds.${source.kind}`) : source[field].trim() || t("conflict.empty");

  return (
    <section className="card" aria-labelledby="edit-debtor-title">
      <h2 id="edit-debtor-title">{t("edit.title")}</h2>
      {loadingSaved && <Notice>{t("conflict.loading")}</Notice>}
      {conflictError !== null && <Notice tone="danger">{errorMessage(conflictError, t("common:error.generic"))}</Notice>}
      {conflict && (
        <div className="stack" role="alert" aria-labelledby="conflict-title">
          <h3 id="conflict-title">{t("common:conflict.title")}</h3>
          <p>{t("conflict.text")}</p>
          <TableScroll>
            <table className={`table ${styles.conflict}`}>
              <caption className="visually-hidden">{t("conflict.caption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("conflict.field")}</th>
                  <th scope="col">{t("conflict.yours")}</th>
                  <th scope="col">{t("conflict.saved")}</th>
                </tr>
              </thead>
              <tbody>
                {[...new Set([...conflict.mine, ...conflict.theirs])].map((field) => (
                  <tr key={field}>
                    <th scope="row">{t(`fields.${field}`)}</th>
                    <td className={conflict.mine.includes(field) ? styles.changed : undefined}>{show(field, values)}</td>
                    <td className={conflict.theirs.includes(field) ? styles.changed : undefined}>
                      {show(field, valuesOf(conflict.saved))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <div className="row">
            <Button variant="primary" busy={update.isPending} onClick={keepMine}>
              {t("conflict.keepMine")}
            </Button>
            <Button disabled={update.isPending} onClick={takeSaved}>
              {t("conflict.takeSaved")}
            </Button>
          </div>
        </div>
      )}
      {!conflict && (
        <DebtorForm
          values={values}
          onChange={setValues}
          errors={errors}
          onSubmit={() => save(base, values)}
          submitLabel={t("edit.submit")}
          busy={update.isPending || loadingSaved}
          message={
            fieldless ? <Notice tone="danger">{errorMessage(update.error, t("common:error.generic"))}</Notice> : null
          }
          secondaryAction={<Button onClick={onCancel}>{t("common:actions.cancel")}</Button>}
        />
      )}
    </section>
  );
}
