"""The national level (issue 14): the overview of all 21 counties for the national observer and
the national admin, its exports, and each county's report-back (återrapportering)."""
