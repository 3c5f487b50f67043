import { useId, useRef, useState, type DragEvent } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../ui";
import styles from "./Import.module.css";

interface DropZoneProps {
  onFile: (file: File) => void;
  busy: boolean;
}

/** Drag a file onto it, or press its button (a real file input behind it, so keyboards and screen readers work). */
export function DropZone({ onFile, busy }: DropZoneProps) {
  const { t } = useTranslation("import");
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const hintId = useId();

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    const file = event.dataTransfer.files[0];
    if (file && !busy) onFile(file);
  };

  return (
    <div
      className={`${styles.dropZone} ${over ? styles.over : ""}`}
      onDragEnter={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragOver={(event) => {
        event.preventDefault();
        event.dataTransfer.dropEffect = "copy";
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOver(false);
      }}
      onDrop={drop}
    >
      <p className={styles.dropTitle}>{t("drop.title")}</p>
      <p className="muted small" id={hintId}>
        {t("drop.hint")}
      </p>
      <input
        ref={input}
        type="file"
        accept=".csv,text/csv"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={t("drop.input")}
        aria-describedby={hintId}
        onChange={(event) => {
          const file = event.target.files?.[0];
          event.target.value = ""; // choosing the same file again is a change too
          if (file) onFile(file);
        }}
      />
      <Button variant="primary" busy={busy} aria-describedby={hintId} onClick={() => input.current?.click()}>
        {busy ? t("drop.checking") : t("drop.choose")}
      </Button>
    </div>
  );
}
