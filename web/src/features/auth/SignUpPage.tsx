// Placeholder: built in its own step (issue 13).
export default function SignUpPage() {
  return <h1>SignUpPage</h1>;
}
