import { useCallback, useRef } from "react";

/**
 * One request at a time from a control: TanStack Query reports `isPending` on its next tick, so a fast double
 * click could start a mutation twice before the button turns busy. `start` gets a `done` to call when settled.
 */
export function useSingleFlight() {
  const flying = useRef(false);
  return useCallback((start: (done: () => void) => void) => {
    if (flying.current) return;
    flying.current = true;
    start(() => {
      flying.current = false;
    });
  }, []);
}
