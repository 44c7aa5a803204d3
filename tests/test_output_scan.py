"""The scan of the suite's outputs finds what it is there to find (tests/output_scan.py)."""

import io

from django.http import HttpRequest, HttpResponse, QueryDict
from openpyxl import Workbook

from tests import output_scan


def request(**post):
    made = HttpRequest()
    made.method, made.path = "POST", "/cases/1/"
    made._post = QueryDict(mutable=True)
    made._post.update(post)
    return made


def scan(content: bytes, **post) -> list[str]:
    output_scan.findings.clear()
    output_scan._request.audited = False
    output_scan._scan_response(request(**post), HttpResponse(content))
    found = list(output_scan.findings)
    output_scan.findings.clear()
    return found


def test_a_page_with_a_whole_id_or_mobile_number_is_found():
    assert scan(b"<td>441621198507150029</td>")  # valid check character
    assert scan(b"<td>11010519491231002x</td>")  # GB 11643's example, lower-case x
    assert scan(b"<td>13812345678</td>")


def test_masked_numbers_and_other_digits_are_not():
    assert not scan(b"<td>441621********0029</td><td>138****5678</td>")
    assert not scan(b"<td>441621198507150028</td>")  # a wrong check character
    assert not scan(b"<td>12812345678</td><td>csrf=a13812345678b</td>")


def test_a_number_the_user_typed_may_come_back_to_them():
    assert not scan(b'<input value="441621198507150029">', id_number="441621198507150029")


def test_a_workbook_is_read_inside():
    book = Workbook()
    book.active.append(["黄新来", "441621198507150029"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert scan(buffer.getvalue())
