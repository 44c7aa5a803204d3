"""Log lines with every ID and mobile number in them masked, tracebacks included."""

import logging

from .idnumber import mask_numbers_in_text


class MaskingFormatter(logging.Formatter):
    """The project's one log format: whatever a message or an exception carries, a personal
    number leaves the process masked (441621********0029, 138****0000)."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_numbers_in_text(super().format(record))
