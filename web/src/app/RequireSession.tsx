import { Navigate, Outlet, useLocation } from "react-router";
import { ErrorState, Loading } from "../ui";
import { useSession } from "./session";

/** Signed-in screens: anyone else goes to the sign-in screen, and comes back after. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) return <ErrorState error={session.error} retry={() => void session.refetch()} />;
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}
