import { StrictMode, Suspense } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { MutationCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import "./ui/tokens.css";
import "./ui/global.css";
import "./i18n";
import { ApiError } from "./api/errors";
import { onSignedOut } from "./api/client";
import { listenForRefreshes } from "./api/refresh";
import { PreferencesProvider } from "./prefs/PreferencesProvider";
import { routes } from "./app/routes";
import { sessionKey } from "./app/session";
import { summaryKey as homeSummaryKey } from "./features/home/api";
import { analyticsKeys } from "./features/analytics/keys";
import { inboxKeys } from "./features/inbox/keys";
import { Loading } from "./ui";

const queryClient: QueryClient = new QueryClient({
  // Whatever a person changes (a debt, an import, a payment, the policy, an inbox item), the home screen's and
  // the reports' figures are read again the next time they show, rather than up to a minute later.
  mutationCache: new MutationCache({
    onSuccess: () => {
      for (const queryKey of [homeSummaryKey, analyticsKeys.all, inboxKeys.all]) {
        void queryClient.invalidateQueries({ queryKey });
      }
    },
  }),
  defaultOptions: {
    queries: {
      // A refused request (4xx) will be refused again: only network and server errors are retried.
      retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
      refetchOnWindowFocus: true,
    },
  },
});

const router = createBrowserRouter(routes, { basename: "/app" });

listenForRefreshes();
onSignedOut(() => {
  queryClient.setQueryData(sessionKey, null);
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <PreferencesProvider>
        <Suspense fallback={<Loading label="" />}>
          <RouterProvider router={router} />
        </Suspense>
      </PreferencesProvider>
    </QueryClientProvider>
  </StrictMode>,
);
