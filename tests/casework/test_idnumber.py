"""The ID number rule: check character and birth date decide, the place code does not."""

import datetime

import pytest

from casework.idnumber import (
    IdNumberError,
    id_check_character,
    make_id_number,
    mask_id_number,
    mask_phone,
    parse_id_number,
)

# Written out once, not computed here: the check characters come from a separate script
# (weights 2**(17-i) % 11, check (12 - sum % 11) % 11) and agree with GB 11643's worked example.
REAL_NUMBERS = [
    "441602199006150114",  # 源城区
    "44162119650817025X",  # 紫金县, born before Heyuan existed (1988)
    "441621197202291440",  # 29 February of a leap year
    "441621200002290114",  # 29 February of 2000 (a leap year though divisible by 100)
    "44162219871231018X",  # 龙川县
    "441622194910010390",
    "441623195503010810",  # 连平县
    "441624200109090111",  # 和平县
    "44162519801120018X",  # 东源县 (1993) on someone born in 1980
    "441625197001010740",
    "441699199912310115",  # 江东新区's local code, in no national list
    "44252219630405032X",  # 紫金县 under 惠阳地区, before 1988
    "442529195807121230",  # 龙川县 under 惠阳地区
    "442525197601280117",  # 河源县, abolished in 1988
]


@pytest.mark.parametrize(
    ("body", "check"),
    [
        ("11010519491231002", "X"),  # GB 11643's own example
        ("44052418800101001", "4"),  # the example printed in most explanations of the rule
        ("44162219780312451", "3"),
    ],
)
def test_published_check_characters(body, check):
    assert id_check_character(body) == check


def test_the_published_example_is_accepted():
    identity = parse_id_number("11010519491231002X")
    assert (identity.birth_date, identity.sex) == (datetime.date(1949, 12, 31), "F")


def test_a_birth_before_1900_is_refused_for_its_date_not_its_check_character():
    with pytest.raises(IdNumberError) as refused:
        parse_id_number("440524188001010014")
    assert refused.value.code == "id_birthdate"


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_real_heyuan_numbers_are_accepted_whatever_their_place_code(number):
    identity = parse_id_number(number)
    assert identity.number == number
    assert identity.place_code == number[:6]


def test_the_table_holds_every_kind_of_check_character():
    checks = [number[17] for number in REAL_NUMBERS]
    assert checks.count("X") >= 3 and checks.count("0") >= 3


@pytest.mark.parametrize("number", REAL_NUMBERS)
def test_make_id_number_gives_the_written_out_numbers(number):
    born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert make_id_number(number[:6], born, int(number[14:17])) == number


def test_birth_date_and_sex_come_from_the_number():
    male = parse_id_number("441622194910010390")  # sequence 039: odd
    female = parse_id_number("441625197001010740")  # sequence 074: even
    assert male.birth_date == datetime.date(1949, 10, 1)
    assert female.birth_date == datetime.date(1970, 1, 1)
    assert (male.sex, female.sex) == ("M", "F")


def test_check_character_x_and_lower_case_and_spaces_are_accepted():
    assert parse_id_number(" 44162119650817025x ").number == "44162119650817025X"
    assert parse_id_number("４４１６２１１９６５０８１７０２５ｘ").number == "44162119650817025X"


def near_misses(number: str):
    """Every number one character away: each digit changed, and each wrong check character."""
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                yield number[:position] + digit + number[position + 1 :]
    for check in "0123456789X":
        if check != number[17]:
            yield number[:17] + check


@pytest.mark.parametrize("number", ["11010519491231002X", *REAL_NUMBERS[:4]])
def test_numbers_one_character_off_are_refused(number):
    codes = set()
    for wrong in near_misses(number):
        try:
            parse_id_number(wrong)
        except IdNumberError as error:
            codes.add(error.code)
        else:
            pytest.fail(f"{wrong} accepted, one character off {number}")
    # a changed date digit may also make an impossible date, but the check character goes first
    assert codes == {"id_checksum"}


@pytest.mark.parametrize(
    "number",
    [
        "110105194912310020",  # the published example with a wrong check character
        "441621197803124515",  # built with the old, faulty rule; the true one ends in 7
        "44162119800101123X",  # likewise; the true one ends in 2
        "441622197803124510",
    ],
)
def test_a_wrong_check_character_is_refused(number):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(number)
    assert refused.value.code == "id_checksum"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "id_missing"),
        (None, "id_missing"),
        ("44162219650817003", "id_format"),  # 17 characters
        ("4416221965081700311", "id_format"),  # 19 characters
        ("44162219650817X031", "id_format"),  # X not at the end
        ("44162219650817003A", "id_format"),
        ("٤٤١٦٢٢١٩٧٨٠٣١٢٤٥١٣", "id_format"),  # Arabic-Indic digits
    ],
)
def test_malformed_numbers_are_refused(number, code):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(number)
    assert refused.value.code == code


@pytest.mark.parametrize(
    "number",
    [
        "44162219650230003X",  # 30 February
        "441621197113010061",  # month 13
        "441621209901010068",  # in the future
        "44162118991231001X",  # before 1900
    ],
)
def test_an_impossible_birth_date_is_refused(number):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(number, today=datetime.date(2026, 1, 1))
    assert refused.value.code == "id_birthdate"


@pytest.mark.parametrize("body", ["4416221965081700", "441622196508170031", "4416221965O817003"])
def test_the_check_character_needs_exactly_17_digits(body):
    with pytest.raises(ValueError):
        id_check_character(body)


def test_masks():
    assert mask_id_number("441622197803124513") == "441622********4513"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0762-3388123") == "********8123"
    assert mask_phone("") == ""
