// Placeholder: built in its own step (issue 13).
export default function ResetPasswordPage() {
  return <h1>ResetPasswordPage</h1>;
}
