/**
 * The published privacy policy (/work/shared/privacy-policy.md), word for word, given headings, lists and
 * its cookie table. It is published in English only: it is rendered with lang="en" in every language.
 */
import styles from "./PrivacyPage.module.css";
import { TableScroll } from "../../ui";

export const POLICY_EMAIL = "privacy@collectra.xyz";

const COOKIES = [
  { name: "access_token", purpose: "HTTP-only auth token for API requests", retention: "Short-lived (session)" },
  { name: "refresh_token", purpose: "Long-lived token to refresh sessions", retention: "30 days" },
  { name: "_collectra_session", purpose: "UI preferences and non-sensitive flags", retention: "1 year" },
] as const;

export function PrivacyPolicy() {
  return (
    <article lang="en" aria-labelledby="policy-title">
      <h1 id="policy-title">Collectra privacy policy</h1>
      <p>
        Collectra helps businesses recover outstanding payments with transparent customer communication and secure
        payment links. This policy explains what data we collect, how we use it, and the choices you have.
      </p>

      <h2>What we collect</h2>
      <ul>
        <li>Account data: name, email, company workspace details.</li>
        <li>Customer &amp; transactional data: debts, invoices, payment attempts, statuses.</li>
        <li>Communication data: emails and support messages.</li>
        <li>Usage &amp; analytics: logs, performance metrics, and aggregated usage data.</li>
      </ul>

      <h2>How we use data</h2>
      <p>
        We use data to operate the service, process payments, send collection emails, provide support, and improve
        product features. We do not sell personal data.
      </p>

      <h2>Cookies</h2>
      <p>
        We use cookies for authentication (HTTP-only), session management, and analytics. Authentication cookies are
        required to access your workspace and are not readable by JavaScript. Below is a summary of cookies used by
        Collectra.
      </p>
      <TableScroll className={styles.tableWrap}>
        <table className="table">
          <caption className="visually-hidden">Cookies used by Collectra</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Purpose</th>
              <th scope="col">Retention</th>
            </tr>
          </thead>
          <tbody>
            {COOKIES.map((cookie) => (
              <tr key={cookie.name}>
                <th scope="row">
                  <code>{cookie.name}</code>
                </th>
                <td>{cookie.purpose}</td>
                <td>{cookie.retention}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>

      <h2>Retention and deletion</h2>
      <p>
        We retain account and transactional data as required to provide the service and to meet legal obligations.
        You can request deletion of your account and associated data by contacting us; some data necessary for
        accounting or legal reasons may be retained as required by law.
      </p>

      <h2>Third-party providers</h2>
      <p>
        We use third-party providers for hosting, email delivery, analytics, and payment processing (for example,
        Supabase, Stripe, Brevo). These providers have their own privacy practices — we ensure contracts require
        appropriate data protection.
      </p>

      <h2>Your rights</h2>
      <ul>
        <li>Access and portability of your personal information.</li>
        <li>Correction of inaccurate information.</li>
        <li>Request deletion of your account (subject to legal retention requirements).</li>
      </ul>
      <p>
        To exercise your rights, email <a href={`mailto:${POLICY_EMAIL}`}>{POLICY_EMAIL}</a>.
      </p>

      <h2>Security</h2>
      <p>
        We use administrative, technical, and physical safeguards to protect data. We regularly review our practices
        and maintain access controls for production systems.
      </p>
    </article>
  );
}
