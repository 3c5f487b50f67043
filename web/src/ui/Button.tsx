import type { ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  small?: boolean;
  /** Shows a spinner and blocks a second press (a double click sends one request). */
  busy?: boolean;
}

export function Button({ variant = "secondary", small, busy, className, disabled, children, ...rest }: ButtonProps) {
  const classes = ["btn", variant !== "secondary" && `btn-${variant}`, small && "btn-small", className]
    .filter(Boolean)
    .join(" ");
  return (
    <button type="button" className={classes} disabled={disabled || busy} aria-busy={busy || undefined} {...rest}>
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
