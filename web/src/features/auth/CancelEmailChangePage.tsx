// Placeholder: built in its own step (issue 13).
export default function CancelEmailChangePage() {
  return <h1>CancelEmailChangePage</h1>;
}
