/** IANA time zones for the debtor's select: the browser's list, else a short fallback. */
const FALLBACK = ["UTC", "Europe/London", "Europe/Paris", "Europe/Berlin", "America/New_York", "America/Los_Angeles"];

export function timeZones(current?: string | null): string[] {
  let zones: string[] = FALLBACK;
  try {
    const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf;
    if (supported) zones = supported("timeZone");
  } catch {
    zones = FALLBACK;
  }
  const all = new Set(zones);
  all.add("UTC");
  if (current) all.add(current); // a saved zone the browser lists under another name stays selectable
  return [...all].sort();
}

export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}
