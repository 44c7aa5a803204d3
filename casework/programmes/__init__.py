"""Programmes (工作措施): vacancies, recruitment events, workshops, public-welfare posts and
courses, the help recorded through them, and reconciliation rounds with the poverty office."""
