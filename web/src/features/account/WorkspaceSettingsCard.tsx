/**
 * A card of the workspace's settings: the workspace read once, its loading and error states, and the "saved"
 * confirmation, which lives here because the form inside starts again from each saved version (its key).
 */
import { useState, type ReactNode } from "react";
import { ErrorState, Loading, Notice } from "../../ui";
import { useWorkspace, type Workspace } from "./api";

interface Props {
  id: string;
  title: string;
  /** What stands under the title: an introduction, or a notice. */
  lead?: ReactNode;
  saved: string;
  form: (workspace: Workspace, onSaved: (version: string) => void) => ReactNode;
}

export function WorkspaceSettingsCard({ id, title, lead, saved, form }: Props) {
  const workspace = useWorkspace();
  const [savedVersion, setSavedVersion] = useState<string | null>(null);
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {lead}
      {workspace.isPending ? (
        <Loading />
      ) : workspace.isError ? (
        <ErrorState error={workspace.error} retry={() => void workspace.refetch()} />
      ) : (
        <>
          {savedVersion === workspace.data.updated_at && <Notice tone="success">{saved}</Notice>}
          {form(workspace.data, setSavedVersion)}
        </>
      )}
    </section>
  );
}
