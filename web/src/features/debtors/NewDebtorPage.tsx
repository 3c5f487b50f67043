// Placeholder: built in its own step (issue 13).
export default function NewDebtorPage() {
  return <h1>NewDebtorPage</h1>;
}
