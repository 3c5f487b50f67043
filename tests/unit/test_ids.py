from collectra.ids import new_id


def test_ids_made_one_after_another_sort_in_that_order() -> None:
    made = [new_id("evt") for _ in range(1000)]
    assert made == sorted(made)
    assert len(set(made)) == 1000


def test_ids_carry_their_prefix_and_enough_randomness() -> None:
    assert new_id("dbt").startswith("dbt_")
    assert len(new_id("dbt")) == len("dbt_") + 26
