import { useState } from "react";
import { Link } from "react-router";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { usePreferences } from "../../prefs/PreferencesProvider";
import { Button, Field, Notice, PageHeader, errorMessage } from "../../ui";
import { HINTS, MAX_BYTES, postImport, readFile, type ChosenFile, type Hint, type ImportResult } from "./api";
import { ColumnsHelp } from "./ColumnsHelp";
import { DropZone } from "./DropZone";
import { ImportSummary } from "./ImportSummary";
import { useSingleFlight } from "../debtors/singleFlight";
import styles from "./Import.module.css";

type Step =
  | { kind: "choose" }
  | { kind: "preview"; file: ChosenFile; result: ImportResult }
  | { kind: "done"; file: ChosenFile; result: ImportResult };

/** What would change: only created and updated rows write anything. */
const changes = (result: ImportResult) => result.created + result.updated;

export default function ImportPage() {
  const { t } = useTranslation("import");
  const { preferences } = usePreferences();
  const queryClient = useQueryClient();
  const [step, setStep] = useState<Step>({ kind: "choose" });
  const [hint, setHint] = useState<Hint>(preferences.locale as Hint);
  const [problem, setProblem] = useState<string | null>(null);
  const once = useSingleFlight();

  const dryRun = useMutation({
    mutationFn: (file: ChosenFile) => postImport(file, { dryRun: true, hint }),
    onSuccess: (result, file) => setStep({ kind: "preview", file, result }),
  });
  const run = useMutation({
    mutationFn: (file: ChosenFile) => postImport(file, { dryRun: false, hint }),
    onSuccess: (result, file) => {
      setStep({ kind: "done", file, result });
      void queryClient.invalidateQueries({ queryKey: ["debts"] });
      void queryClient.invalidateQueries({ queryKey: ["debtors"] });
    },
  });

  const choose = async (file: File) => {
    setProblem(null);
    dryRun.reset();
    run.reset();
    if (!/\.csv$/i.test(file.name) && file.type !== "text/csv") {
      setProblem(t("drop.notCsv", { name: file.name }));
      return;
    }
    if (file.size > MAX_BYTES) {
      setProblem(t("drop.tooLarge", { name: file.name }));
      return;
    }
    if (file.size === 0) {
      setProblem(t("drop.empty", { name: file.name }));
      return;
    }
    try {
      const chosen = await readFile(file);
      once((done) => dryRun.mutate(chosen, { onSettled: done }));
    } catch {
      setProblem(t("drop.unreadable", { name: file.name }));
    }
  };

  const startOver = () => {
    dryRun.reset();
    run.reset();
    setProblem(null);
    setStep({ kind: "choose" });
  };

  const error = dryRun.error ?? run.error;

  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />

      {step.kind === "choose" && (
        <>
          <div className={styles.options}>
            <Field label={t("hint.label")} hint={t("hint.hint")}>
              <select className="select" value={hint} onChange={(event) => setHint(event.target.value as Hint)}>
                {HINTS.map((value) => (
                  <option key={value} value={value}>
                    {t(`hint.${value}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <DropZone onFile={(file) => void choose(file)} busy={dryRun.isPending} />
          {problem && <Notice tone="danger">{problem}</Notice>}
          {error && (
            <Notice tone="danger">
              <strong>{error instanceof ApiError && error.code === "malformed_csv" ? t("malformed") : t("failed")}</strong>{" "}
              {errorMessage(error, t("common:error.generic"))}
            </Notice>
          )}
          <ColumnsHelp language={preferences.locale} />
        </>
      )}

      {step.kind === "preview" && (
        <section className="card" aria-labelledby="import-preview-title">
          <h2 id="import-preview-title">
            {changes(step.result) === 0 && step.result.unchanged > 0 ? t("preview.nothingChangedTitle") : t("preview.title")}
          </h2>
          <p className={styles.fileName}>{t("preview.file", { name: step.file.name })}</p>
          <ImportSummary result={step.result} />
          {changes(step.result) === 0 && (
            <Notice tone={step.result.rejected > 0 ? "warning" : "info"}>
              {step.result.unchanged > 0 ? t("preview.nothingChanges") : t("preview.nothingValid")}
            </Notice>
          )}
          {error && <Notice tone="danger">{errorMessage(error, t("common:error.generic"))}</Notice>}
          <div className="form-actions">
            {changes(step.result) > 0 && (
              <Button
                variant="primary"
                busy={run.isPending}
                onClick={() => once((done) => run.mutate(step.file, { onSettled: done }))}
              >
                {t("preview.import", { count: changes(step.result) })}
              </Button>
            )}
            <Button disabled={run.isPending} onClick={startOver}>
              {t("chooseAnother")}
            </Button>
          </div>
        </section>
      )}

      {step.kind === "done" && (
        <section className="card" aria-labelledby="import-done-title">
          <h2 id="import-done-title">
            {changes(step.result) === 0 ? t("done.nothingChangedTitle") : t("done.title")}
          </h2>
          <p className={styles.fileName}>{t("done.file", { name: step.file.name })}</p>
          {changes(step.result) === 0 ? (
            <Notice>{t("done.nothingChanged", { count: step.result.unchanged })}</Notice>
          ) : (
            <Notice tone="success">{t("done.success", { count: changes(step.result) })}</Notice>
          )}
          <ImportSummary result={step.result} />
          <div className="form-actions">
            <Link className="btn btn-primary" to="/debts">
              {t("done.seeDebts")}
            </Link>
            <Button onClick={startOver}>{t("importAnother")}</Button>
          </div>
        </section>
      )}
    </>
  );
}
