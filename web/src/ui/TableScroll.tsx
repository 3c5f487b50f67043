import { useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";

/**
 * A table that scrolls sideways on a narrow screen. The scrolling box is a focusable, named region so that a
 * keyboard can scroll it too (WCAG 2.1.1; axe `scrollable-region-focusable`): named after the table's caption
 * or `aria-label` when it has one, else `label`, else a generic name.
 */
export function TableScroll({ label, className, children }: { label?: string; className?: string; children: ReactNode }) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const [name, setName] = useState(label);

  useLayoutEffect(() => {
    if (label) return;
    const table = box.current?.querySelector("table");
    const own = table?.getAttribute("aria-label") ?? table?.querySelector("caption")?.textContent?.trim();
    setName(own || undefined);
  }, [label]);

  return (
    <div ref={box} className={["table-wrap", className].filter(Boolean).join(" ")} role="region" tabIndex={0} aria-label={name ?? t("table")}>
      {children}
    </div>
  );
}
