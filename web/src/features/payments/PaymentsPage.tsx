// Placeholder: built in its own step (issue 13).
export default function PaymentsPage() {
  return <h1>PaymentsPage</h1>;
}
