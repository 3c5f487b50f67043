import { useState } from "react";
import { NavLink, Outlet, useNavigate, useNavigation } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { Button } from "../ui";
import { useSession } from "./session";
import styles from "./Layout.module.css";

const NAVIGATION = [
  { to: "/", key: "home", end: true },
  { to: "/inbox", key: "inbox" },
  { to: "/reports", key: "reports" },
  { to: "/debts", key: "debts" },
  { to: "/debtors", key: "debtors" },
  { to: "/import", key: "import" },
  { to: "/reminders", key: "reminders" },
  { to: "/settings/payments", key: "payments" },
  { to: "/team", key: "team" },
  { to: "/account", key: "account" },
] as const;

export function Layout() {
  const { t } = useTranslation();
  const [menuOpen, setMenuOpen] = useState(false);
  const session = useSession().data;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  // The next screen's code and words are loading: the current one stays, with a thin bar saying so.
  const loading = useNavigation().state === "loading";

  const signOut = useMutation({
    mutationFn: async () => unwrap(await api.POST("/auth/logout")),
    onSettled: () => {
      queryClient.clear();
      void navigate("/sign-in", { replace: true });
    },
  });

  return (
    <div className={styles.shell}>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      {loading && <div className={styles.progress} role="progressbar" aria-label={t("loading")} />}
      <header className={styles.header}>
        <Button
          variant="ghost"
          className={styles.menuButton}
          aria-expanded={menuOpen}
          aria-controls="primary-navigation"
          onClick={() => setMenuOpen((open) => !open)}
        >
          {t("nav.menu")}
        </Button>
        <NavLink to="/" className={styles.brand}>
          Collectra
        </NavLink>
        <WorkspaceSwitcher />
        <div className={styles.user}>
          <span className={`${styles.userName} muted small`}>{session?.user.name}</span>
          <Button small busy={signOut.isPending} onClick={() => signOut.mutate()}>
            {t("nav.signOut")}
          </Button>
        </div>
      </header>
      <nav
        id="primary-navigation"
        aria-label={t("nav.label")}
        className={`${styles.nav} ${menuOpen ? styles.navOpen : ""}`}
      >
        <ul>
          {NAVIGATION.map((item) => (
            <li key={item.to}>
              <NavLink
                to={item.to}
                end={"end" in item ? item.end : false}
                className={({ isActive }) => (isActive ? styles.active : undefined)}
                onClick={() => setMenuOpen(false)}
              >
                {t(`nav.${item.key}`)}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" className={styles.main} tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function WorkspaceSwitcher() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const workspaces = useQuery({
    queryKey: ["my-workspaces"],
    queryFn: async () => unwrap(await api.GET("/auth/workspaces")).workspaces,
    staleTime: 60_000,
  });
  const switchTo = useMutation({
    mutationFn: async (workspaceId: string) =>
      unwrap(await api.POST("/auth/switch-workspace", { body: { workspace_id: workspaceId } })),
    onSuccess: () => {
      // Everything cached belonged to the other workspace.
      queryClient.clear();
      void navigate("/");
    },
  });
  const list = workspaces.data ?? [];
  const current = list.find((workspace) => workspace.current);
  if (list.length < 2) return <span className={styles.workspace}>{current?.name}</span>;
  return (
    <label className={styles.workspace}>
      <span className="visually-hidden">{t("nav.workspace")}</span>
      <select
        className="select"
        value={current?.id ?? ""}
        disabled={switchTo.isPending}
        onChange={(event) => switchTo.mutate(event.target.value)}
      >
        {list.map((workspace) => (
          <option key={workspace.id} value={workspace.id}>
            {workspace.name}
          </option>
        ))}
      </select>
    </label>
  );
}
