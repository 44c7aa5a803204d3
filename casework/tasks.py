"""What a Celery worker loads (autodiscovery): the modules that register background jobs, the
periodic ones under the key `run_periodic` counts them in, and the export makers the export job
writes with (`exports.maker`)."""

from notifications import jobs as notification_jobs  # noqa: F401  (notifications_sent)
from reports import snapshots  # noqa: F401  (dashboards_refreshed)
from supervision import jobs as supervision_jobs  # noqa: F401  (county_escalations, the report)
from workflows import escalation, rechecks, tallies, timers  # noqa: F401  (case_escalations, rechecks_created, tallies_folded, timers_fired)

from . import (
    retention,  # noqa: F401  (personal_numbers_erased)
    views,  # noqa: F401  (the ledger's and the audit's export makers)
)
from .ledger import needs  # noqa: F401  (the needs list's export maker)
from .programmes import views as programme_views  # noqa: F401  (the reconciliation's maker)
from .roster import jobs  # noqa: F401  (registers roster.analyse and roster.execute)
