// Placeholder: built in its own step (issue 13).
export default function PrivacyPage() {
  return <h1>PrivacyPage</h1>;
}
