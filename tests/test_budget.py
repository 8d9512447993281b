import pytest

from newsweave.budget import Budget
from newsweave.errors import InputError


@pytest.mark.parametrize(
    ("spec", "amount", "unit"),
    [
        ("150w", 150, "words"),
        ("5s", 5, "sentences"),
        ("665b", 665, "bytes"),
        (" 20 W ", 20, "words"),
        (80, 80, "words"),
    ],
)
def test_parse(spec, amount, unit):
    b = Budget.parse(spec)
    assert (b.amount, b.unit) == (amount, unit)


def test_default_is_words():
    assert Budget.parse(None).unit == "words"


@pytest.mark.parametrize("spec", ["", "0w", "-3w", "12", "12x", "w", "1.5w"])
def test_invalid(spec):
    with pytest.raises(InputError, match="invalid length"):
        Budget.parse(spec)


@pytest.mark.parametrize(("spec", "shown"), [(True, "True"), (100, None), (0, "'0w'")])
def test_a_number_is_words_but_a_boolean_is_refused_as_given(spec, shown):
    if shown is None:
        assert Budget.parse(spec) == Budget(100, "words")
        return
    with pytest.raises(InputError, match=f"^invalid length {shown}:"):  # True was shown 'Truew'
        Budget.parse(spec)


def test_costs_and_truncate():
    assert Budget.parse("3w").truncate("one two three four") == "one two three"
    assert Budget.parse("4b").truncate("héllo") == "hél"  # é is two bytes
    assert Budget.parse("10b").total(["ab", "cd"]) == 5  # joined with a space
    assert Budget.parse("2s").total(["a b", "c"]) == 2
    with pytest.raises(ValueError):
        Budget.parse("2s").truncate("x")


def test_auto_rule_and_resolve():
    from newsweave.budget import is_auto, resolve

    assert is_auto("auto") and is_auto(" AUTO ") and not is_auto("150w")
    assert resolve("auto", ["a", "b", "c"]) == Budget(240, "words")
    assert resolve("5s", ["a"]) == Budget(5, "sentences")
    with pytest.raises(InputError, match="or auto"):
        resolve("big", ["a"])
