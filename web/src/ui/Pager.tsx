/**
 * Previous and Next over a cursor-paginated list whose cursor is in the URL (`?cursor=`): the cursors of the
 * pages before are kept in the history entry, so Previous, Back and a reload all land where they should.
 */
import { useLocation, useNavigate, useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import { Button } from "./Button";

interface PageState {
  cursors?: string[];
}

export function Pager({ nextCursor, label }: { nextCursor: string | null | undefined; label: string }) {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const before = (location.state as PageState | null)?.cursors ?? [];
  const cursor = params.get("cursor") ?? "";

  const go = (to: string, cursors: string[]) => {
    const next = new URLSearchParams(params);
    if (to) next.set("cursor", to);
    else next.delete("cursor");
    void navigate({ search: `?${next.toString()}` }, { state: { cursors } });
  };

  return (
    <nav className="row pager" aria-label={label}>
      <Button onClick={() => go(before.at(-1) ?? "", before.slice(0, -1))} disabled={!cursor}>
        {t("actions.previous")}
      </Button>
      <span className="muted small">{t("page", { page: before.length + 1 })}</span>
      <Button onClick={() => nextCursor && go(nextCursor, [...before, cursor])} disabled={!nextCursor}>
        {t("actions.next")}
      </Button>
    </nav>
  );
}
