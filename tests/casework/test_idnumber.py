"""The ID number rule: check character and birth date decide, the place code does not."""

import datetime

import pytest
from stdnum.cn import ric

from casework.idnumber import IdNumberError, mask_id_number, mask_phone, parse_id_number


def with_check(body: str) -> str:
    return body + ric.calc_check_digit(body)


@pytest.mark.parametrize(
    "number",
    [
        # Heyuan codes (created 1988) on people born before 1988: real, and rejected by stdnum
        with_check("44162219650817003"),
        with_check("44162119720229006"),  # 29 February of a leap year
        with_check("44162519870101123"),
        with_check("44169919991231002"),  # 江东新区's local code
    ],
)
def test_real_heyuan_numbers_born_before_the_city_are_accepted(number):
    identity = parse_id_number(number)
    assert identity.number == number
    if identity.birth_date.year < 1988:
        assert not ric.is_valid(number), "stdnum's place check would have refused this number"


def test_birth_date_and_sex_come_from_the_number():
    male = parse_id_number(with_check("44162219650817003"))
    female = parse_id_number(with_check("44162219650817004"))
    assert male.birth_date == datetime.date(1965, 8, 17)
    assert (male.sex, female.sex) == ("M", "F")


def test_check_character_x_and_lower_case_and_spaces_are_accepted():
    body = next(
        f"44162119800101{n:03d}" for n in range(1000)
        if ric.calc_check_digit(f"44162119800101{n:03d}") == "X"
    )  # fmt: skip
    assert parse_id_number(f" {body}x ").number == body + "X"


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("", "id_missing"),
        (None, "id_missing"),
        ("44162219650817003", "id_format"),  # 17 characters
        ("4416221965081700311", "id_format"),  # 19 characters
        ("44162219650817X031", "id_format"),  # X not at the end
        ("44162219650817003A", "id_format"),
    ],
)
def test_malformed_numbers_are_refused(number, code):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(number)
    assert refused.value.code == code


def test_a_wrong_check_character_is_refused():
    good = with_check("44162219650817003")
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(wrong)
    assert refused.value.code == "id_checksum"


@pytest.mark.parametrize("body", ["44162219650230003", "44162119711301006", "44162120990101006"])
def test_an_impossible_birth_date_is_refused(body):
    with pytest.raises(IdNumberError) as refused:
        parse_id_number(with_check(body))
    assert refused.value.code == "id_birthdate"


def test_masks():
    assert mask_id_number("441622197803124513") == "441622********4513"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0762-3388123") == "********8123"
    assert mask_phone("") == ""
