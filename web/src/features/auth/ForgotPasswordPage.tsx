// Placeholder: built in its own step (issue 13).
export default function ForgotPasswordPage() {
  return <h1>ForgotPasswordPage</h1>;
}
