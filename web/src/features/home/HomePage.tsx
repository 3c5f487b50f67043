// Placeholder: built in its own step (issue 13).
export default function HomePage() {
  return <h1>HomePage</h1>;
}
