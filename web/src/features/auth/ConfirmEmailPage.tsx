// Placeholder: built in its own step (issue 13).
export default function ConfirmEmailPage() {
  return <h1>ConfirmEmailPage</h1>;
}
