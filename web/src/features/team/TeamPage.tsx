// Placeholder: built in its own step (issue 13).
export default function TeamPage() {
  return <h1>TeamPage</h1>;
}
