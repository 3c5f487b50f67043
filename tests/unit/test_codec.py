import pytest
from hypothesis import given
from hypothesis import strategies as st

from collectra.store.codec import from_attributes, to_attributes

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary(),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(min_size=1, max_size=8), values, max_size=5))
def test_round_trip_keeps_every_value(item: dict[str, object]) -> None:
    assert from_attributes(to_attributes(item)) == item


def test_floats_are_refused_because_money_is_minor_units() -> None:
    with pytest.raises(TypeError):
        to_attributes({"amount": 12.5})
