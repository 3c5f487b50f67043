// Placeholder: built in its own step (issue 13).
export default function JoinPage() {
  return <h1>JoinPage</h1>;
}
