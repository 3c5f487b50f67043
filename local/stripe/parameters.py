"""The parameters each endpoint takes, as stripe-python declares them, and the checks Stripe makes on them.

stripe-python form-encodes nested dicts as `a[b][c]=v` and lists as `a[0][b]=v`; `parse_params` reads that
back. Which names an endpoint knows, and what shape and type each value has, come from stripe-python's own
TypedDicts (`stripe.params`, generated from Stripe's OpenAPI document), so `check` refuses what Stripe
refuses before any value is looked at: an unknown name (`parameter_unknown`, so a typo fails here rather than
in production), a hash where a string belongs, a list that is not one, a number or a boolean that is not, a
value outside the enum stripe-python lists. What the types do not say (required, ranges, URLs, e-mail
addresses, metadata limits) is in the small functions at the end, called by the routes.
"""

from __future__ import annotations

import re
import sys
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any, ForwardRef, Literal, Union, get_args, get_origin
from urllib.parse import parse_qsl, urlsplit

from stripe import RequestOptions
from stripe._stripe_object import UntypedStripeObject
from stripe.params import (
    AccountCreateParams,
    AccountLinkCreateParams,
    AccountListParams,
    AccountRetrieveCurrentParams,
    AccountRetrieveParams,
    ChargeRetrieveParams,
    CustomerCreateParams,
    CustomerRetrieveParams,
    DisputeRetrieveParams,
    EventListParams,
    EventRetrieveParams,
    PaymentIntentCreateParams,
    PaymentIntentRetrieveParams,
    PaymentMethodDetachParams,
    PaymentMethodRetrieveParams,
    RefundCreateParams,
    SetupIntentRetrieveParams,
)
from stripe.params.checkout import (
    SessionCreateParams,
    SessionCreateParamsLineItem,
    SessionExpireParams,
    SessionListLineItemsParams,
    SessionRetrieveParams,
)
from typing_extensions import is_typeddict

from local.stripe.errors import StripeError, invalid, missing

Obj = dict[str, Any]


@dataclass(frozen=True)
class Value:
    """A string on the wire, read as `kind`; `choices` when stripe-python lists the values Stripe knows."""

    kind: Literal["string", "integer", "boolean", "decimal"]
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Hash:
    """Names fixed by a stripe-python TypedDict (`declared`), or free with each value a `values` (metadata)."""

    declared: Any = None
    values: Spec | None = None

    def names(self) -> list[str]:
        """The names declared here: none for a free hash."""
        return [] if self.declared is None else list(_annotations(self.declared))

    def field(self, name: str) -> Spec | None:
        """What `name` takes here; None when Stripe does not know it."""
        return self.values if self.declared is None else _field(self.declared, name)


@dataclass(frozen=True)
class Array:
    item: Spec


@dataclass(frozen=True)
class OneOf:
    """A value that may take several shapes (an id or a hash): it must fit one."""

    options: tuple[Spec, ...]


Spec = Value | Hash | Array | OneOf

# stripe-python's options for a request (api_key, stripe_account, ...) travel as headers, not parameters.
_OPTIONS = frozenset(RequestOptions.__annotations__)
# Names Stripe still takes that stripe-python 16.1.0's types no longer declare.
_STILL_TAKEN: dict[object, dict[str, object]] = {
    SessionCreateParams: {"payment_method_types": list[str]},
    SessionCreateParamsLineItem: {"dynamic_tax_rates": list[str]},
    PaymentIntentCreateParams: {"payment_method_types": list[str]},
}
_SCALARS: dict[object, Value] = {
    str: Value("string"),
    int: Value("integer"),
    bool: Value("boolean"),
    float: Value("decimal"),
    Decimal: Value("decimal"),
}
_WRAPPERS = (typing.NotRequired, typing.Required)
_UNSET = Value("string", ("",))


@cache
def _annotations(declared: Any) -> dict[str, object]:
    annotations = declared.__annotations__ | _STILL_TAKEN.get(declared, {})
    return {name: kind for name, kind in annotations.items() if name not in _OPTIONS}


@cache
def _field(declared: Any, name: str) -> Spec | None:
    # Read one name at a time, when a request first sends it: reading all of SessionCreateParams' 300 nested
    # TypedDicts up front would cost the stand-in's start some 50 ms for names Collectra never sends.
    kind = _annotations(declared).get(name)
    return None if kind is None else _spec(kind, vars(sys.modules[declared.__module__]))


def _spec(kind: object, module: dict[str, Any]) -> Spec:
    if isinstance(kind, str | ForwardRef):
        # The generated modules name their own classes in quotes: read those names in the module's namespace.
        kind = eval(kind.__forward_arg__ if isinstance(kind, ForwardRef) else kind, module)  # noqa: S307
    origin, args = get_origin(kind), get_args(kind)
    if origin in _WRAPPERS:
        return _spec(args[0], module)
    if is_typeddict(kind):
        return Hash(kind)
    if kind in _SCALARS:
        return _SCALARS[kind]
    if origin is Literal:
        return Value("string", tuple(str(choice) for choice in args))
    if origin is list:
        return Array(_spec(args[0], module))
    if origin is dict:
        return Hash(values=_spec(args[1], module))
    if origin is UntypedStripeObject:
        return Hash(values=_spec(args[0], module))
    if origin in (Union, types.UnionType):
        return _union([_spec(arg, module) for arg in args])
    raise TypeError(f"the Stripe stand-in does not read stripe-python's parameter type {kind!r}")


def _union(options: list[Spec]) -> Spec:
    # stripe-python writes an enum as `Literal[...] | str` (the `str` lets newer values through its types) and
    # "may be unset" as `Literal[""] | ...`: Stripe knows the listed values, and "" unsets anything.
    options = [option for option in options if option != _UNSET]
    choices = tuple(choice for option in options if isinstance(option, Value) for choice in option.choices)
    shapes: list[Spec] = []
    for option in options:
        shape = Value("string", choices) if isinstance(option, Value) and option.kind == "string" else option
        if shape not in shapes:
            shapes.append(shape)
    return shapes[0] if len(shapes) == 1 else OneOf(tuple(shapes))


ACCOUNT_CREATE = Hash(AccountCreateParams)
ACCOUNT_RETRIEVE = Hash(AccountRetrieveParams)
ACCOUNT_LIST = Hash(AccountListParams)
ACCOUNT_RETRIEVE_CURRENT = Hash(AccountRetrieveCurrentParams)
ACCOUNT_LINK_CREATE = Hash(AccountLinkCreateParams)
SESSION_CREATE = Hash(SessionCreateParams)
SESSION_RETRIEVE = Hash(SessionRetrieveParams)
SESSION_LINE_ITEMS = Hash(SessionListLineItemsParams)
SESSION_EXPIRE = Hash(SessionExpireParams)
PAYMENT_INTENT_RETRIEVE = Hash(PaymentIntentRetrieveParams)
CHARGE_RETRIEVE = Hash(ChargeRetrieveParams)
DISPUTE_RETRIEVE = Hash(DisputeRetrieveParams)
EVENT_RETRIEVE = Hash(EventRetrieveParams)
EVENT_LIST = Hash(EventListParams)
REFUND_CREATE = Hash(RefundCreateParams)
CUSTOMER_CREATE = Hash(CustomerCreateParams)
CUSTOMER_RETRIEVE = Hash(CustomerRetrieveParams)
SETUP_INTENT_RETRIEVE = Hash(SetupIntentRetrieveParams)
PAYMENT_METHOD_RETRIEVE = Hash(PaymentMethodRetrieveParams)
PAYMENT_METHOD_DETACH = Hash(PaymentMethodDetachParams)
PAYMENT_INTENT_CREATE = Hash(PaymentIntentCreateParams)

_NAME = re.compile(r"([^\[\]]+)((?:\[[^\[\]]*\])*)")
_PART = re.compile(r"\[([^\[\]]*)\]")
_FORMS = {
    "integer": re.compile(r"-?\d{1,18}"),
    "boolean": re.compile(r"true|false"),
    "decimal": re.compile(r"-?\d+(\.\d+)?"),
}


def parse_params(text: str) -> Obj:
    """A form body or query string as nested dicts; lists stay dicts keyed "0", "1"... (see `as_list`)."""
    root: Obj = {}
    for name, value in parse_qsl(text, keep_blank_values=True):
        match = _NAME.fullmatch(name)
        if match is None:
            raise invalid(f"Invalid parameter name: {name}", name)
        parts = [match.group(1), *_PART.findall(match.group(2))]
        node = root
        for depth, part in enumerate(parts):
            key = part or str(len(node))  # a[]=x appends
            if depth == len(parts) - 1:
                if isinstance(node.get(key), dict):
                    raise invalid(f"Invalid hash: {name} is both a value and a hash", name)
                node[key] = value
            else:
                child = node.setdefault(key, {})
                if not isinstance(child, dict):
                    raise invalid(f"Invalid hash: {name} is both a value and a hash", name)
                node = child
    return root


def check(params: Obj, spec: Hash) -> None:
    """Refuse, as Stripe does, a parameter the endpoint does not know or whose value does not fit its type."""
    _check(params, spec, "")


def _check(value: Any, spec: Spec, name: str) -> None:
    if value == "":
        return  # Stripe reads an empty value as "unset"; whether that is allowed is the route's to say
    if isinstance(spec, Value):
        _check_value(value, spec, name)
    elif isinstance(spec, Array):
        for index, item in enumerate(as_list(value, name)):
            _check(item, spec.item, sub(name, index))
    elif isinstance(spec, Hash):
        for key, item in as_hash(value, name).items():
            known = spec.field(key)
            if known is None:
                raise invalid(f"Received unknown parameter: {sub(name, key)}", sub(name, key), "parameter_unknown")
            _check(item, known, sub(name, key))
    else:
        _check_one_of(value, spec, name)


def _check_value(value: Any, spec: Value, name: str) -> None:
    if not isinstance(value, str):
        raise invalid(f"Invalid {spec.kind}: {name} must be a {spec.kind}, not a hash", name)
    form = _FORMS.get(spec.kind)
    if form is not None and not form.fullmatch(value):
        code = "parameter_invalid_integer" if spec.kind == "integer" else None
        raise invalid(f"Invalid {spec.kind}: {value}", name, code)
    if spec.choices and value not in spec.choices:
        *most, last = spec.choices
        listed = f"{', '.join(most)}{',' if len(most) > 1 else ''} or {last}" if most else last
        raise invalid(f"Invalid {name}: must be one of {listed} (got '{value}')", name)


def _check_one_of(value: Any, spec: OneOf, name: str) -> None:
    first: StripeError | None = None
    for option in spec.options:
        try:
            _check(value, option, name)
        except StripeError as refused:
            first = first or refused
        else:
            return
    if first is not None:
        raise first


def sub(prefix: str, key: str | int) -> str:
    """The wire name of `key` inside `prefix`: `line_items[0][quantity]`."""
    return f"{prefix}[{key}]" if prefix else str(key)


def as_list(value: Any, param: str) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, dict) and all(key.isdigit() for key in value):
        indexed = {int(key): item for key, item in value.items()}
        if sorted(indexed) == list(range(len(value))):
            return [indexed[index] for index in range(len(value))]
    raise invalid(f"Invalid array: {param}", param)


def as_hash(value: Any, param: str) -> Obj:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid(f"Invalid hash: {param}", param)
    return value


def string(value: Any, param: str) -> str:
    if not isinstance(value, str):
        raise invalid(f"Invalid string: {param} must be a string, not a hash", param)
    return value


def required(params: Mapping[str, Any], key: str, prefix: str = "") -> str:
    name = sub(prefix, key)
    value = params.get(key)
    if value is None:
        raise missing(name)
    if value == "":
        raise invalid(
            f"You passed an empty string for '{name}'. We assume empty values are an attempt to unset a parameter; "
            f"however '{name}' cannot be unset. You should remove '{name}' from your request or supply a non-empty "
            "value.",
            name,
            "parameter_invalid_empty",
        )
    return string(value, name)


def optional(params: Mapping[str, Any], key: str, prefix: str = "", *, longest: int = 5000) -> str | None:
    name = sub(prefix, key)
    value = params.get(key)
    if value is None or value == "":
        return None
    text = string(value, name)
    if len(text) > longest:
        raise invalid(f"Invalid {name}: must be at most {longest} characters", name, "parameter_invalid_string")
    return text


def integer(value: str, param: str, minimum: int = 0) -> int:
    if not _FORMS["integer"].fullmatch(value):
        raise invalid(f"Invalid integer: {value}", param, "parameter_invalid_integer")
    number = int(value)
    if number < minimum:
        raise invalid(f"This value must be greater than or equal to {minimum}.", param, "parameter_invalid_integer")
    return number


def valid_url(value: str, param: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(value) > 5000:
        raise invalid("Not a valid URL", param, "url_invalid")
    return value


_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\".]+$")


def valid_email(value: str, param: str) -> str:
    if not _EMAIL.match(value):
        raise invalid(f"Invalid email address: {value}", param, "email_invalid")
    return value


def valid_currency(value: str, param: str) -> str:
    if not re.fullmatch(r"[a-z]{3}", value):
        raise invalid(f"Invalid currency: {value}. Use a three-letter ISO code in lower case, such as 'eur'.", param)
    return value


def valid_metadata(value: Any, param: str) -> dict[str, str]:
    """Stripe's limits: 50 keys, keys up to 40 characters, string values up to 500; "" unsets a key."""
    values = as_hash(value, param)
    if len(values) > 50:
        raise invalid("You can specify up to 50 keys, with key names up to 40 characters long.", param)
    result: dict[str, str] = {}
    for key, item in values.items():
        name = sub(param, key)
        if len(key) > 40:
            raise invalid(
                f"Metadata keys can have up to 40 characters, but you passed in a key that is {len(key)}.", name
            )
        text = string(item, name)
        if len(text) > 500:
            raise invalid(f"Metadata values can have up to 500 characters, but you passed in {len(text)}.", name)
        if text:
            result[key] = text
    return result


def expand_paths(params: Mapping[str, Any]) -> list[str]:
    return [string(path, "expand") for path in as_list(params.get("expand"), "expand")]
