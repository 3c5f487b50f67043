/** Every screen, each loaded when first visited (the first screen carries only its own code). */
import { lazy } from "react";
import type { RouteObject } from "react-router";
import { Layout } from "./Layout";
import { PublicLayout } from "./PublicLayout";
import { RequireSession } from "./RequireSession";
import { NotFoundPage } from "./NotFoundPage";

const page = (load: () => Promise<{ default: React.ComponentType }>) => {
  const Page = lazy(load);
  return <Page />;
};

export const routes: RouteObject[] = [
  {
    element: <PublicLayout />,
    children: [
      { path: "sign-in", element: page(() => import("../features/auth/SignInPage")) },
      { path: "sign-up", element: page(() => import("../features/auth/SignUpPage")) },
      { path: "verify-email", element: page(() => import("../features/auth/VerifyEmailPage")) },
      { path: "forgot-password", element: page(() => import("../features/auth/ForgotPasswordPage")) },
      { path: "reset-password", element: page(() => import("../features/auth/ResetPasswordPage")) },
      { path: "join", element: page(() => import("../features/auth/JoinPage")) },
      { path: "confirm-email", element: page(() => import("../features/auth/ConfirmEmailPage")) },
      { path: "cancel-email-change", element: page(() => import("../features/auth/CancelEmailChangePage")) },
      { path: "privacy", element: page(() => import("../features/account/PrivacyPage")) },
    ],
  },
  {
    element: <RequireSession />,
    children: [
      {
        element: <Layout />,
        children: [
          { index: true, element: page(() => import("../features/home/HomePage")) },
          { path: "debts", element: page(() => import("../features/debts/DebtsPage")) },
          { path: "debts/new", element: page(() => import("../features/debts/NewDebtPage")) },
          { path: "debts/:id", element: page(() => import("../features/debts/DebtPage")) },
          { path: "debtors", element: page(() => import("../features/debtors/DebtorsPage")) },
          { path: "debtors/new", element: page(() => import("../features/debtors/NewDebtorPage")) },
          { path: "debtors/:id", element: page(() => import("../features/debtors/DebtorPage")) },
          { path: "import", element: page(() => import("../features/import/ImportPage")) },
          { path: "reminders", element: page(() => import("../features/reminders/RemindersPage")) },
          { path: "settings/payments", element: page(() => import("../features/payments/PaymentsPage")) },
          { path: "team", element: page(() => import("../features/team/TeamPage")) },
          { path: "account", element: page(() => import("../features/account/AccountPage")) },
          { path: "*", element: <NotFoundPage /> },
        ],
      },
    ],
  },
];
