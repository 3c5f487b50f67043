// Placeholder: built in its own step (issue 13).
export default function NewDebtPage() {
  return <h1>NewDebtPage</h1>;
}
