"""Demo data: Heyuan's counties with invented townships' villages, staff logins and ~600 cases."""
