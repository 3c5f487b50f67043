// Placeholder: built in its own step (issue 13).
export default function DebtorPage() {
  return <h1>DebtorPage</h1>;
}
