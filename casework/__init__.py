"""The case registry: regions, staff, laborers and cases."""
