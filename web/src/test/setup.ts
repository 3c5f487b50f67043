import { afterEach } from "vitest";
import { cleanup } from "@testing-library/react";
import "../i18n";

afterEach(() => {
  cleanup();
  document.cookie = "_collectra_session=; Max-Age=0; Path=/";
});
