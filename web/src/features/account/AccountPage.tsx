// Placeholder: built in its own step (issue 13).
export default function AccountPage() {
  return <h1>AccountPage</h1>;
}
