"""viewflow's own timers (the follow-up's monthly wait, `CaseFlow.wait_follow_up`), fired by the
periodic runner on the real clock: `run_periodic --now` does not move them."""

import datetime

from viewflow.workflow.timers import fire_due_timers

from casework import jobs


@jobs.periodic("timers_fired")
def timers_fire(now: datetime.datetime) -> int:
    """Fire every viewflow timer task due by the real clock (`now` is ignored); how many fired.

    Each due task is re-read under its process's flow lock and skipped when another host holds
    it or has fired it, so several hosts may run this at once."""
    return fire_due_timers()
