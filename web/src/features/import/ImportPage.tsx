// Placeholder: built in its own step (issue 13).
export default function ImportPage() {
  return <h1>ImportPage</h1>;
}
