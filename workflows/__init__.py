"""Viewflow processes of a case: survey, assistance, follow-up, re-survey, closing, transfer."""
