// Placeholder: built in its own step (issue 13).
export default function DebtsPage() {
  return <h1>DebtsPage</h1>;
}
