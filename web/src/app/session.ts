/** Who is signed in: `GET /auth/me`, shared by every screen through TanStack Query. */
import { useQuery } from "@tanstack/react-query";
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import type { components } from "../api/schema";

export type Session = components["schemas"]["SessionView"];
export type Role = "owner" | "admin" | "member";

export const sessionKey = ["session"] as const;

export function useSession() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async (): Promise<Session | null> => {
      const result = await api.GET("/auth/me");
      if (result.response.status === 401) return null;
      return unwrap(result);
    },
    staleTime: 60_000,
  });
}

/**
 * What each role may do: the API's permission table (layers/common/collectra/access.py `PERMISSIONS`),
 * mirrored so the app hides what the API would refuse. The API still decides; this only spares a 403.
 */
const MANAGERS: readonly string[] = ["owner", "admin"];
const PERMISSIONS = {
  "workspace:update": MANAGERS,
  "workspace:delete": ["owner"],
  "workspace:export": MANAGERS,
  "members:manage": MANAGERS,
  "members:owners": ["owner"],
} as const satisfies Record<string, readonly string[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: string | undefined, permission: Permission): boolean {
  return role !== undefined && (PERMISSIONS[permission] as readonly string[]).includes(role);
}
