import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { TableScroll } from "./TableScroll";

describe("TableScroll", () => {
  it("is a focusable region named after its table's caption, so a keyboard can scroll it", async () => {
    render(
      <TableScroll>
        <table>
          <caption>Pending invitations</caption>
          <tbody>
            <tr>
              <td>ada@example.com</td>
            </tr>
          </tbody>
        </table>
      </TableScroll>,
    );
    const region = await screen.findByRole("region", { name: "Pending invitations" });
    expect(region.tabIndex).toBe(0);
  });

  it("takes a given name before the caption's", () => {
    render(
      <TableScroll label="Rejected rows">
        <table>
          <caption>Something else</caption>
        </table>
      </TableScroll>,
    );
    expect(screen.getByRole("region", { name: "Rejected rows" })).toBeTruthy();
  });
});
