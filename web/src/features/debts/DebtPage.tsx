// Placeholder: built in its own step (issue 13).
export default function DebtPage() {
  return <h1>DebtPage</h1>;
}
