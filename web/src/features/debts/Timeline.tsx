import { useTranslation } from "react-i18next";
import { useSession } from "../../app/session";
import { useFormat } from "../../i18n/useFormat";
import { EmptyState, ErrorState, Loading } from "../../ui";
import { useTimeline } from "./api";
import { describeActor, describeEntry } from "./timeline";
import styles from "./DebtPage.module.css";

/** Everything that happened to the debt, newest first, as sentences with who and when. */
export function Timeline({ debtId, currency, className }: { debtId: string; currency: string; className?: string }) {
  const { t } = useTranslation("debts");
  const format = useFormat();
  const me = useSession().data?.user.id;
  const timeline = useTimeline(debtId);

  return (
    <section className={className ? `card ${className}` : "card"} aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t("timeline.title")}</h2>
      {timeline.isPending ? (
        <Loading />
      ) : timeline.isError ? (
        <ErrorState error={timeline.error} retry={() => void timeline.refetch()} />
      ) : timeline.data.length === 0 ? (
        <EmptyState title={t("timeline.emptyTitle")}>{t("timeline.emptyText")}</EmptyState>
      ) : (
        <ol className={styles.timeline}>
          {[...timeline.data].reverse().map((entry) => (
            <li key={entry.id}>
              <p className={styles.sentence}>{describeEntry(entry, t, format, currency)}</p>
              <p className="muted small">
                <time dateTime={entry.at}>{format.dateTime(entry.at)}</time> ·{" "}
                {t("timeline.by", { actor: describeActor(entry.actor, t, me) })}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
