// Placeholder: built in its own step (issue 13).
export default function DebtorsPage() {
  return <h1>DebtorsPage</h1>;
}
