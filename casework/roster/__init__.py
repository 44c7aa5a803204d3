"""The poverty office's roster (xlsx or csv): a file is read and checked row by row first
(reading.roster_plan); importing.roster_import then writes every accepted row in one transaction
and starts the new cases' workflows; corrections handles laborers who left the list, corrected
ID numbers and merges. A file that cannot be read raises UnreadableFile and writes nothing."""

from .corrections import case_correct_id, left_list_decide
from .importing import roster_import
from .reading import REGISTERED_ELSEWHERE, Plan, conflicts_record, file_sha256, roster_plan

__all__ = [
    "REGISTERED_ELSEWHERE",
    "Plan",
    "case_correct_id",
    "conflicts_record",
    "file_sha256",
    "left_list_decide",
    "roster_import",
    "roster_plan",
]
