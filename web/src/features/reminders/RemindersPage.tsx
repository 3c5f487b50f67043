/** Screen 6: the reminder policy (steps, hours, limits, wording with a live preview) and the engine's status. */
import { useQuery } from "@tanstack/react-query";
import { usePreferences } from "../../prefs/PreferencesProvider";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { can, useSession } from "../../app/session";
import { ErrorState, Loading, PageHeader } from "../../ui";
import { EngineStatus } from "./EngineStatus";
import { PolicyEditor, policyKey } from "./PolicyEditor";
import { previewQuery } from "./TemplatePreview";

export default function RemindersPage() {
  const { t } = useTranslation("reminders");
  const session = useSession();
  const policy = useQuery({
    queryKey: policyKey,
    queryFn: async () => unwrap(await api.GET("/workspace/reminder-policy")),
    // The form keeps its own draft: a refetch must not overwrite what is being typed.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  // The preview the editor opens on (the first step's wording as used today: "friendly" unless the workspace
  // changed its steps) is asked for beside the policy, not after it.
  const { preferences } = usePreferences();
  useQuery(previewQuery({ template: "friendly", locale: preferences.locale, draft: null }));

  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle")} />
      <EngineStatus />
      {policy.isPending || session.isPending ? (
        <Loading />
      ) : policy.isError ? (
        <ErrorState error={policy.error} retry={() => void policy.refetch()} />
      ) : (
        <PolicyEditor policy={policy.data} readOnly={!can(session.data?.role, "workspace:update")} />
      )}
    </>
  );
}
