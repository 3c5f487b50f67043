/** The home screen's card: a region named by its heading, and a card's own empty state. */
import type { ReactNode } from "react";
import styles from "./Home.module.css";

export function Card({ id, title, wide, children }: { id: string; title: string; wide?: boolean; children: ReactNode }) {
  return (
    <section className={wide ? styles.wide : styles.card} aria-labelledby={`home-${id}`}>
      <h2 id={`home-${id}`}>{title}</h2>
      {children}
    </section>
  );
}

/** A card's own empty state: what the card is for, and the next step. */
export function CardEmpty({ title, text, actions }: { title: string; text: string; actions?: ReactNode }) {
  return (
    <div className={styles.empty}>
      <h3>{title}</h3>
      <p className="muted">{text}</p>
      {actions && <div className={styles.footer}>{actions}</div>}
    </div>
  );
}
