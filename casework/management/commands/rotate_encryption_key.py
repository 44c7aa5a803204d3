"""Re-encrypt every personal value under the first key of FIELD_ENCRYPTION_KEY (key rotation)."""

from django.core.management.base import BaseCommand

from casework.rekeying import BATCH, encryption_rekey


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value and stored roster file with the first key of "
        "FIELD_ENCRYPTION_KEY and recompute the lookup hashes, in batches; safe to run again. "
        "Rotation: generate a key, put it first in FIELD_ENCRYPTION_KEY, restart, run this, "
        "then remove the old key (docs/encryption.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH, help="rows per transaction")

    def handle(self, *args, batch_size=BATCH, **options):
        counts = encryption_rekey(batch=max(1, batch_size))
        for label, count in counts.items():
            self.stdout.write(f"{label}: {count} re-encrypted")
        self.stdout.write(self.style.SUCCESS(f"done: {sum(counts.values())} re-encrypted"))
