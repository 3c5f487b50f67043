// Placeholder: built in its own step (issue 13).
export default function VerifyEmailPage() {
  return <h1>VerifyEmailPage</h1>;
}
