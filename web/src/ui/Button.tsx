import { useEffect, useRef, type ButtonHTMLAttributes, type MouseEvent } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  small?: boolean;
  /** Shows a spinner and blocks a second press (a double click sends one request). */
  busy?: boolean;
}

// A request's pending state reaches the screen a moment after the press (TanStack Query notifies on a timer).
// A second press before the screen has shown anything of the first (no render since) is the same press, a
// double click, and is ignored; after a render (busy, an error at a field) the button listens again. The time
// limit keeps a press that changed nothing on screen from locking the button.
const SAME_PRESS_MS = 1000;

export function Button({ variant = "secondary", small, busy, className, disabled, children, onClick, ...rest }: ButtonProps) {
  const pressedAt = useRef(Number.NEGATIVE_INFINITY);
  useEffect(() => {
    pressedAt.current = Number.NEGATIVE_INFINITY; // rendered since: the next press is a new one
  });
  const classes = ["btn", variant !== "secondary" && `btn-${variant}`, small && "btn-small", className]
    .filter(Boolean)
    .join(" ");
  const press = (event: MouseEvent<HTMLButtonElement>) => {
    if (busy !== undefined) {
      const now = performance.now();
      if (busy || now - pressedAt.current < SAME_PRESS_MS) {
        event.preventDefault(); // a submit button's second press must not submit its form again either
        return;
      }
      pressedAt.current = now;
    }
    onClick?.(event);
  };
  return (
    <button
      type="button"
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      onClick={press}
      {...rest}
    >
      {busy && <span className="spinner" aria-hidden="true" />}
      {children}
    </button>
  );
}
