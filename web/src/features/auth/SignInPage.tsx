// Placeholder: built in its own step (issue 13).
export default function SignInPage() {
  return <h1>SignInPage</h1>;
}
