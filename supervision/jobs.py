"""The supervision's background work: the ladder's monthly assessment (periodic, counted under
`county_escalations`) and the supervision report made in the background."""

from .ladder import county_escalations_run  # noqa: F401  (registers the periodic assessment)
