import { fireEvent, render, screen } from "@testing-library/react";
import { describe, expect, it, vi } from "vitest";
import { Button } from "./Button";

describe("Button", () => {
  it("takes a double press of a busy-able button as one, before its busy state arrives", () => {
    const onClick = vi.fn();
    render(
      <Button busy={false} onClick={onClick}>
        Send reminder now
      </Button>,
    );
    const button = screen.getByRole("button", { name: "Send reminder now" });
    fireEvent.click(button);
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it("does not submit its form twice on a double press", () => {
    const onSubmit = vi.fn((event: Event) => event.preventDefault());
    render(
      <form onSubmit={(event) => onSubmit(event.nativeEvent)}>
        <Button type="submit" busy={false}>
          Save
        </Button>
      </form>,
    );
    const button = screen.getByRole("button", { name: "Save" });
    fireEvent.click(button);
    fireEvent.click(button);
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it("leaves a plain button alone: each press counts", () => {
    const onClick = vi.fn();
    render(<Button onClick={onClick}>Next</Button>);
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    fireEvent.click(screen.getByRole("button", { name: "Next" }));
    expect(onClick).toHaveBeenCalledTimes(2);
  });
});
