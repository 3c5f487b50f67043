import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import { policyErrors } from "./policyForm";

const refused = (code: string, details: unknown) => new ApiError(422, { error: { code, message: "refused", details } });

describe("policyErrors", () => {
  it("puts each template's problems at its text, however the API joins them", () => {
    // As PUT /workspace/reminder-policy answers a policy whose French wording names an unknown variable.
    const errors = policyErrors(
      refused("invalid_input", [
        {
          field: "body",
          type: "value_error",
          message:
            "Value error, template friendly (fr): unknown variable(s): foo; known: contact_link, pay_link; " +
            "template friendly (fr): the text must contain {{ pay_link }}; template second (de): the text must contain {{ opt_out_link }}",
        },
      ]),
    );
    expect(errors).toEqual({
      "templates.friendly.fr.text":
        "unknown variable(s): foo; known: contact_link, pay_link the text must contain {{ pay_link }}",
      "templates.second.de.text": "the text must contain {{ opt_out_link }}",
    });
  });

  it("names steps and fields by their path, and rules across fields where they are fixed", () => {
    const errors = policyErrors(
      refused("invalid_input", [
        { field: "body.steps.1.offset_days", message: "Input should be less than or equal to 365" },
        { field: "body.sending_days.2", message: "Input should be a valid integer" },
        { field: "body.templates.firm.en.subject", message: "String should have at least 1 character" },
        { field: "body", message: "Value error, steps must be in order of offset_days, each offset once" },
      ]),
    );
    expect(errors).toEqual({
      "steps.1.offset_days": "Input should be less than or equal to 365",
      sending_days: "Input should be a valid integer",
      "templates.firm.en.subject": "String should have at least 1 character",
      steps: "steps must be in order of offset_days, each offset once",
    });
  });

  it("reads invalid_template's sentences", () => {
    const errors = policyErrors(
      refused("invalid_template", ["template friendly (fr): the template cannot be rendered: ZeroDivisionError"]),
    );
    expect(errors).toEqual({ "templates.friendly.fr.text": "the template cannot be rendered: ZeroDivisionError" });
  });
});
