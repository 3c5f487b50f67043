/** POST /debts/import: the CSV file itself is the body (text/csv), sent as the bytes chosen (the API checks UTF-8). */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";

export type ImportResult = components["schemas"]["ImportResult"];
export type RejectedRow = components["schemas"]["RejectedRow"];

export const MAX_BYTES = 5 * 1024 * 1024;

/** Locale hints the importer reads (`conventions.py`): they settle "1,234" and 01/02/2026. */
export const HINTS = ["en", "en-US", "fr", "de"] as const;
export type Hint = (typeof HINTS)[number];

export interface ChosenFile {
  name: string;
  size: number;
  bytes: Uint8Array;
}

export async function readFile(file: File): Promise<ChosenFile> {
  const buffer =
    typeof file.arrayBuffer === "function"
      ? await file.arrayBuffer()
      : await new Promise<ArrayBuffer>((resolve, reject) => {
          const reader = new FileReader();
          reader.onload = () => resolve(reader.result as ArrayBuffer);
          reader.onerror = () => reject(reader.error ?? new Error("unreadable file"));
          reader.readAsArrayBuffer(file);
        });
  return { name: file.name, size: file.size, bytes: new Uint8Array(buffer) };
}

export async function postImport(file: ChosenFile, options: { dryRun: boolean; hint: Hint }): Promise<ImportResult> {
  return unwrap(
    await api.POST("/debts/import", {
      params: { query: { dry_run: options.dryRun, locale: options.hint } },
      // The typed body is the file's text; the bytes go as they are, so a file that is not UTF-8 gets the API's own
      // message instead of being silently altered here.
      body: file.bytes as unknown as string,
      bodySerializer: (body: unknown) => body as BodyInit,
      headers: { "Content-Type": "text/csv" },
    }),
  );
}
