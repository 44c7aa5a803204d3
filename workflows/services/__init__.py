"""The process layer's writes: starting processes, working tasks, requests and decisions on
a case. Every function takes the acting user, works under the flow lock or the case's row
lock, and leaves a case event or a stage change behind; a refused request raises
casework.errors.ServiceError with a message for the user and changes nothing."""

from .cases import (
    NODE_FOR_STAGE,
    assistance_record_for_task,
    case_close_with_tasks,
    case_undo,
    closing_decide,
    closing_request,
    place_in_work,
    resurvey_start,
    resurvey_submit,
    transfer_decide,
    transfer_request,
)
from .starting import (
    case_intake,
    case_process_start,
    cases_start_bulk,
    resurveys_start_claimed,
)
from .tasks import (
    BUSY_MESSAGE,
    OPEN,
    REFUSALS,
    colleagues_for,
    display_name,
    locked,
    open_tasks,
    refusal_text,
    target_refusal,
    task_claim,
    task_execute,
    task_hand_over,
    task_release,
    tasks_reassign,
)

__all__ = [
    "case_process_start",
    "case_intake",
    "cases_start_bulk",
    "resurveys_start_claimed",
    "OPEN",
    "BUSY_MESSAGE",
    "locked",
    "display_name",
    "colleagues_for",
    "open_tasks",
    "task_claim",
    "task_release",
    "task_hand_over",
    "target_refusal",
    "tasks_reassign",
    "REFUSALS",
    "refusal_text",
    "task_execute",
    "assistance_record_for_task",
    "closing_request",
    "case_close_with_tasks",
    "closing_decide",
    "transfer_request",
    "transfer_decide",
    "resurvey_start",
    "resurvey_submit",
    "place_in_work",
    "NODE_FOR_STAGE",
    "case_undo",
]
