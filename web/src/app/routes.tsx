/**
 * Every screen, each loaded when first visited (the first screen carries only its own code).
 *
 * Screens are React Router `lazy` routes: a screen's code and its words (its i18n namespace) load during the
 * navigation, together, so the screen renders once, asks for its data at once, and the page being left stays
 * on show meanwhile (no blank flash, no request waiting for a chunk; `make web-bench` counts the waterfall).
 */
import type { ComponentType } from "react";
import type { RouteObject } from "react-router";
import i18n from "../i18n";
import { Loading } from "../ui";
import { Layout } from "./Layout";
import { NotFoundPage } from "./NotFoundPage";
import { PublicLayout } from "./PublicLayout";
import { RequireSession } from "./RequireSession";

/** A screen: its code and every namespace it shows words from (a screen borrowing another's parts names both). */
function screen(namespaces: string | string[], load: () => Promise<{ default: ComponentType }>): Pick<RouteObject, "lazy"> {
  return {
    lazy: async () => {
      const [module] = await Promise.all([load(), i18n.loadNamespaces(["common", ...[namespaces].flat()])]);
      return { Component: module.default };
    },
  };
}

export const routes: RouteObject[] = [
  {
    hydrateFallbackElement: <Loading />,
    children: [
      {
        element: <PublicLayout />,
        children: [
          { path: "sign-in", ...screen("auth", () => import("../features/auth/SignInPage")) },
          { path: "sign-up", ...screen("auth", () => import("../features/auth/SignUpPage")) },
          { path: "verify-email", ...screen("auth", () => import("../features/auth/VerifyEmailPage")) },
          { path: "forgot-password", ...screen("auth", () => import("../features/auth/ForgotPasswordPage")) },
          { path: "reset-password", ...screen("auth", () => import("../features/auth/ResetPasswordPage")) },
          { path: "join", ...screen("auth", () => import("../features/auth/JoinPage")) },
          { path: "confirm-email", ...screen("auth", () => import("../features/auth/ConfirmEmailPage")) },
          { path: "cancel-email-change", ...screen("auth", () => import("../features/auth/CancelEmailChangePage")) },
          { path: "privacy", ...screen("account", () => import("../features/account/PrivacyPage")) },
        ],
      },
      {
        element: <RequireSession />,
        children: [
          {
            element: <Layout />,
            children: [
              { index: true, ...screen("home", () => import("../features/home/HomePage")) },
              { path: "inbox", ...screen("inbox", () => import("../features/inbox/InboxPage")) },
              { path: "reports", ...screen("reports", () => import("../features/reports/ReportsPage")) },
              { path: "debts", ...screen("debts", () => import("../features/debts/DebtsPage")) },
              { path: "debts/new", ...screen("debts", () => import("../features/debts/NewDebtPage")) },
              { path: "debts/:id", ...screen("debts", () => import("../features/debts/DebtPage")) },
              { path: "debtors", ...screen("debtors", () => import("../features/debtors/DebtorsPage")) },
              { path: "debtors/new", ...screen("debtors", () => import("../features/debtors/NewDebtorPage")) },
              { path: "debtors/:id", ...screen(["debtors", "debts"], () => import("../features/debtors/DebtorPage")) },
              { path: "import", ...screen("import", () => import("../features/import/ImportPage")) },
              { path: "reminders", ...screen("reminders", () => import("../features/reminders/RemindersPage")) },
              { path: "settings/payments", ...screen("payments", () => import("../features/payments/PaymentsPage")) },
              { path: "team", ...screen("team", () => import("../features/team/TeamPage")) },
              { path: "account", ...screen(["account", "auth"], () => import("../features/account/AccountPage")) },
              { path: "*", element: <NotFoundPage /> },
            ],
          },
        ],
      },
    ],
  },
];
