/**
 * Team: the workspace's members and pending invitations. Owners and admins invite, change roles, remove
 * and withdraw (each removal behind a confirmation); a member sees the team and why they cannot change it.
 * The rules mirror layers/common/collectra/access.py; the API still decides and its reasons are shown.
 */
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../api/client";
import { ApiError, unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { can, sessionKey, useSession, type Role } from "../../app/session";
import { useFormat } from "../../i18n/useFormat";
import { Badge, Button, ConfirmDialog, EmptyState, ErrorState, Field, Loading, Notice, PageHeader, errorMessage } from "../../ui";
import styles from "./TeamPage.module.css";
import { TableScroll } from "../../ui";

type Member = components["schemas"]["MemberView"];
type Invitation = components["schemas"]["InvitationView"];

export const teamKey = ["team"] as const;
const ROLES: readonly Role[] = ["owner", "admin", "member"];

export default function TeamPage() {
  const { t } = useTranslation("team");
  const session = useSession().data;
  const team = useQuery({
    queryKey: teamKey,
    queryFn: async () => unwrap(await api.GET("/workspace/members")),
  });

  const role = session?.role;
  const manager = can(role, "members:manage");

  return (
    <>
      <PageHeader title={t("title")} subtitle={t("subtitle", { workspace: session?.workspace.name ?? "" })} />
      {manager ? <InviteCard /> : <Notice>{t("memberNotice")}</Notice>}
      {team.isPending ? (
        <Loading />
      ) : team.isError ? (
        <ErrorState error={team.error} retry={() => void team.refetch()} />
      ) : (
        <>
          <MembersSection members={team.data.members} />
          <InvitationsSection invitations={team.data.invitations} members={team.data.members} />
        </>
      )}
      <RolesExplained />
    </>
  );
}

function roleTone(role: string): "info" | "success" | undefined {
  if (role === "owner") return "success";
  if (role === "admin") return "info";
  return undefined;
}

/** The roles the signed-in user may give: only an owner makes an owner. */
function grantableRoles(myRole: string | undefined): Role[] {
  return ROLES.filter((role) => role !== "owner" || can(myRole, "members:owners"));
}

function InviteCard() {
  const { t } = useTranslation("team");
  const session = useSession().data;
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [localError, setLocalError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  const invite = useMutation({
    mutationFn: async (body: { email: string; role: Role }) =>
      unwrap(await api.POST("/workspace/members", { body })),
    onSuccess: (invitation) => {
      setSentTo(invitation.email);
      setEmail("");
      setRole("member");
      void queryClient.invalidateQueries({ queryKey: teamKey });
    },
  });

  const apiError = invite.error instanceof ApiError ? invite.error : null;
  const fieldErrors = apiError?.fieldErrors() ?? {};
  const emailError = localError ?? fieldErrors.email ?? null;
  const formError = invite.error && !fieldErrors.email ? errorMessage(invite.error, t("common:error.generic")) : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    setSentTo(null);
    const value = email.trim();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
      setLocalError(t("invite.emailInvalid"));
      return;
    }
    setLocalError(null);
    if (invite.isPending) return;
    invite.mutate({ email: value, role });
  }

  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title">{t("invite.title")}</h2>
      <p className="muted small">{t("invite.text")}</p>
      {sentTo && <Notice tone="success">{t("invite.sent", { email: sentTo })}</Notice>}
      {formError && (
        <Notice tone="danger">
          {formError}
          {apiError?.code === "email_not_verified" && (
            <>
              {" "}
              <Link to="/account">{t("invite.verifyLink")}</Link>
            </>
          )}
        </Notice>
      )}
      <form onSubmit={submit} noValidate className={styles.inviteForm}>
        <Field label={t("invite.email")} error={emailError}>
          <input
            className="input"
            type="email"
            autoComplete="off"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            maxLength={254}
            required
          />
        </Field>
        <Field label={t("invite.role")} hint={t(`roles.${role}.short`)}>
          <select className="select" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {grantableRoles(session?.role).map((option) => (
              <option key={option} value={option}>
                {t(`roles.${option}.name`)}
              </option>
            ))}
          </select>
        </Field>
        <div className={styles.inviteAction}>
          <Button type="submit" variant="primary" busy={invite.isPending}>
            {t("invite.submit")}
          </Button>
        </div>
      </form>
    </section>
  );
}

function MembersSection({ members }: { members: Member[] }) {
  const { t } = useTranslation("team");
  return (
    <section className={styles.section} aria-labelledby="members-title">
      <h2 id="members-title">
        {t("members.title")} <span className="muted">({members.length})</span>
      </h2>
      {members.length === 0 ? (
        <EmptyState title={t("members.emptyTitle")}>{t("members.emptyText")}</EmptyState>
      ) : (
        <TableScroll className={styles.tableWrap}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("members.name")}</th>
                <th scope="col">{t("members.email")}</th>
                <th scope="col">{t("members.role")}</th>
                <th scope="col">{t("members.joined")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("members.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((member) => (
                <MemberRow key={member.id} member={member} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function MemberRow({ member }: { member: Member }) {
  const { t } = useTranslation("team");
  const format = useFormat();
  const session = useSession().data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const myRole = session?.role;
  const isMe = member.id === session?.user.id;
  // Only an owner changes or removes an owner (members:owners); managers handle the rest.
  const manageable = can(myRole, "members:manage") && (member.role !== "owner" || can(myRole, "members:owners"));
  const [role, setRole] = useState<Role>(member.role);
  const [confirming, setConfirming] = useState<"remove" | "demote" | null>(null);
  const name = member.name ?? t("members.formerName");

  const changeRole = useMutation({
    mutationFn: async (next: Role) =>
      unwrap(await api.PATCH("/workspace/members/{id}", { params: { path: { id: member.id } }, body: { role: next } })),
    onSuccess: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: teamKey });
      if (isMe) void queryClient.invalidateQueries({ queryKey: sessionKey });
    },
    onError: () => setConfirming(null),
  });

  const remove = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE("/workspace/members/{id}", { params: { path: { id: member.id } } })),
    onSuccess: () => {
      setConfirming(null);
      if (isMe) {
        // Leaving ends this session's access to the workspace: start again from whatever the API says now.
        queryClient.clear();
        void navigate("/", { replace: true });
        return;
      }
      void queryClient.invalidateQueries({ queryKey: teamKey });
    },
    onError: () => setConfirming(null),
  });

  function saveRole() {
    if (changeRole.isPending) return;
    // Giving up one's own management rights cannot be undone by oneself: ask first.
    if (isMe && role === "member") setConfirming("demote");
    else changeRole.mutate(role);
  }

  const error = changeRole.error ?? remove.error;

  return (
    <tr>
      <td>
        <span className={styles.name}>{name}</span> {isMe && <Badge>{t("members.you")}</Badge>}
      </td>
      <td>{member.email ?? "—"}</td>
      <td>
        {manageable ? (
          <div className={styles.roleEditor}>
            <label>
              <span className="visually-hidden">{t("members.roleOf", { name })}</span>
              <select
                className="select"
                value={role}
                onChange={(event) => {
                  changeRole.reset();
                  setRole(event.target.value as Role);
                }}
              >
                {grantableRoles(myRole).map((option) => (
                  <option key={option} value={option}>
                    {t(`roles.${option}.name`)}
                  </option>
                ))}
              </select>
            </label>
            {role !== member.role && (
              <Button small variant="primary" busy={changeRole.isPending} onClick={saveRole}>
                {t("members.saveRole")}
                <span className="visually-hidden"> {t("members.forName", { name })}</span>
              </Button>
            )}
          </div>
        ) : (
          <Badge tone={roleTone(member.role)}>{t(`roles.${member.role}.name`)}</Badge>
        )}
        {error && (
          <p className={`field-error ${styles.rowError}`} role="alert">
            {errorMessage(error, t("common:error.generic"))}
          </p>
        )}
      </td>
      <td className={styles.nowrap}>{format.date(member.joined_at)}</td>
      <td className={styles.actions}>
        {manageable && (
          <Button small variant="danger" busy={remove.isPending} onClick={() => setConfirming("remove")}>
            {isMe ? t("members.leave") : t("members.remove")}
            {!isMe && <span className="visually-hidden"> {name}</span>}
          </Button>
        )}
        <ConfirmDialog
          open={confirming === "remove"}
          title={isMe ? t("members.leaveTitle", { workspace: session?.workspace.name }) : t("members.removeTitle", { name })}
          confirmLabel={isMe ? t("members.leaveConfirm") : t("members.removeConfirm")}
          danger
          busy={remove.isPending}
          onConfirm={() => remove.mutate()}
          onCancel={() => setConfirming(null)}
        >
          <p>{isMe ? t("members.leaveText") : t("members.removeText", { name })}</p>
          <p>{t("members.removeInvitations")}</p>
        </ConfirmDialog>
        <ConfirmDialog
          open={confirming === "demote"}
          title={t("members.demoteTitle")}
          confirmLabel={t("members.demoteConfirm")}
          danger
          busy={changeRole.isPending}
          onConfirm={() => changeRole.mutate(role)}
          onCancel={() => setConfirming(null)}
        >
          <p>{t("members.demoteText")}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

function InvitationsSection({ invitations, members }: { invitations: Invitation[]; members: Member[] }) {
  const { t } = useTranslation("team");
  const manager = can(useSession().data?.role, "members:manage");
  // When the page was shown: an invitation past its time is marked expired (the store removes it later).
  const [shownAt] = useState(() => Date.now());
  return (
    <section className={styles.section} aria-labelledby="invitations-title">
      <h2 id="invitations-title">
        {t("invitations.title")} <span className="muted">({invitations.length})</span>
      </h2>
      {invitations.length === 0 ? (
        <EmptyState title={t("invitations.emptyTitle")}>
          {manager ? t("invitations.emptyTextManager") : t("invitations.emptyTextMember")}
        </EmptyState>
      ) : (
        <TableScroll className={styles.tableWrap}>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{t("invitations.email")}</th>
                <th scope="col">{t("invitations.role")}</th>
                <th scope="col">{t("invitations.invitedBy")}</th>
                <th scope="col">{t("invitations.sent")}</th>
                <th scope="col">{t("invitations.expires")}</th>
                <th scope="col">
                  <span className="visually-hidden">{t("members.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.map((invitation) => (
                <InvitationRow key={invitation.id} invitation={invitation} members={members} manager={manager} now={shownAt} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

interface InvitationRowProps {
  invitation: Invitation;
  members: Member[];
  manager: boolean;
  now: number;
}

function InvitationRow({ invitation, members, manager, now }: InvitationRowProps) {
  const { t } = useTranslation("team");
  const format = useFormat();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const inviter = members.find((member) => member.id === invitation.invited_by);
  const expired = new Date(invitation.expires_at).getTime() < now;

  const withdraw = useMutation({
    mutationFn: async () =>
      unwrap(await api.DELETE("/workspace/invitations/{id}", { params: { path: { id: invitation.id } } })),
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: teamKey });
    },
    onError: () => setConfirming(false),
  });

  return (
    <tr>
      <td>{invitation.email}</td>
      <td>
        <Badge tone={roleTone(invitation.role)}>{t(`roles.${invitation.role}.name`)}</Badge>
      </td>
      <td>{inviter ? (inviter.name ?? inviter.email) : t("invitations.formerMember")}</td>
      <td className={styles.nowrap}>{format.date(invitation.created_at)}</td>
      <td className={styles.nowrap}>
        {expired ? <Badge tone="warning">{t("invitations.expired")}</Badge> : format.dateTime(invitation.expires_at)}
      </td>
      <td className={styles.actions}>
        {manager && (
          <Button small variant="danger" busy={withdraw.isPending} onClick={() => setConfirming(true)}>
            {t("invitations.withdraw")}
            <span className="visually-hidden"> {invitation.email}</span>
          </Button>
        )}
        {withdraw.error && (
          <p className={`field-error ${styles.rowError}`} role="alert">
            {errorMessage(withdraw.error, t("common:error.generic"))}
          </p>
        )}
        <ConfirmDialog
          open={confirming}
          title={t("invitations.withdrawTitle", { email: invitation.email })}
          confirmLabel={t("invitations.withdrawConfirm")}
          danger
          busy={withdraw.isPending}
          onConfirm={() => withdraw.mutate()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t("invitations.withdrawText")}</p>
        </ConfirmDialog>
      </td>
    </tr>
  );
}

function RolesExplained() {
  const { t } = useTranslation("team");
  return (
    <section className="card" aria-labelledby="roles-title">
      <h2 id="roles-title">{t("roles.title")}</h2>
      <dl className={styles.roles}>
        {ROLES.map((role) => (
          <div key={role} className={styles.role}>
            <dt>
              <Badge tone={roleTone(role)}>{t(`roles.${role}.name`)}</Badge>
            </dt>
            <dd>
              <p>{t(`roles.${role}.short`)}</p>
              <ul className="small">
                {(t(`roles.${role}.can`, { returnObjects: true }) as string[]).map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
