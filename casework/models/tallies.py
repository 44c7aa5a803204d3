"""The cases' summaries kept by the writes (casework.tallies): counts per place, stage and owner;
the needs list's trade totals."""

from django.db import models


class CaseTally(models.Model):
    """How many cases have this place, stage and owner (0: none). Written only by
    `casework.tallies` (the fold and the rebuild); triggers on the case table write the deltas.
    Plain integer columns: a summary row outlives nothing it would protect."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    region_id = models.IntegerField()
    stage = models.CharField(max_length=20)
    owner_id = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_id", "township_id", "region_id", "stage", "owner_id"],
                name="case_tally_key",
            )
        ]
        indexes = [
            models.Index(fields=["township_id"], name="case_tally_township"),
            models.Index(fields=["region_id"], name="case_tally_region"),
        ]

    def __str__(self):
        return f"{self.county_id}/{self.township_id}/{self.region_id} {self.stage}: {self.n}"


class CaseTallyDelta(models.Model):
    """A change to `CaseTally` not yet folded in (+n/−n with the key), appended by triggers."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    region_id = models.IntegerField()
    stage = models.CharField(max_length=20)
    owner_id = models.IntegerField()
    n = models.IntegerField()

    def __str__(self):
        return f"{self.county_id}/{self.township_id}/{self.region_id} {self.stage}: {self.n:+}"


class NeedsTally(models.Model):
    """How many cases not in work of this place wish skill training in this trade (the needs
    list's trade totals). Written only by `casework.tallies`; triggers write the deltas."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    region_id = models.IntegerField()
    trade = models.CharField(max_length=20)
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_id", "township_id", "region_id", "trade"], name="needs_tally_key"
            )
        ]
        indexes = [
            models.Index(fields=["township_id"], name="needs_tally_township"),
            models.Index(fields=["region_id"], name="needs_tally_region"),
        ]

    def __str__(self):
        return f"{self.county_id}/{self.township_id}/{self.region_id} {self.trade}: {self.n}"


class NeedsTallyDelta(models.Model):
    """A change to `NeedsTally` not yet folded in (+n/−n with the key), appended by triggers."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    region_id = models.IntegerField()
    trade = models.CharField(max_length=20)
    n = models.IntegerField()

    def __str__(self):
        return f"{self.county_id}/{self.township_id}/{self.region_id} {self.trade}: {self.n:+}"
