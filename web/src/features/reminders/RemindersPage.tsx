// Placeholder: built in its own step (issue 13).
export default function RemindersPage() {
  return <h1>RemindersPage</h1>;
}
