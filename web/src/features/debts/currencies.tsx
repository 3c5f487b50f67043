/** The currencies offered first when typing one (any ISO 4217 code the API knows may be typed). */
export const COMMON_CURRENCIES = ["EUR", "USD", "GBP", "CHF", "CAD", "AUD", "SEK", "NOK", "DKK", "PLN", "CZK", "JPY"];

export const CURRENCIES_LIST_ID = "debt-currencies";

export function CurrencyOptions() {
  return (
    <datalist id={CURRENCIES_LIST_ID}>
      {COMMON_CURRENCIES.map((code) => (
        <option key={code} value={code} />
      ))}
    </datalist>
  );
}
