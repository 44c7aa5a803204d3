"""Key rotation: every encrypted value and stored roster file re-encrypted under the first key of
FIELD_ENCRYPTION_KEY, every lookup hash recomputed with that key's hash key; in batches, and a
second run finds nothing left to do (docs/encryption.md)."""

from django.apps import apps
from django.db import connection, transaction

from . import crypto
from .models import RosterImport
from .models.fields import encrypted_fields_of, hash_fields_of
from .retention import roster_file_path

BATCH = 500


def _stale(row: tuple, encrypted: list, hashed: list, values: dict) -> bool:
    tokens = row[1 : 1 + len(encrypted)]
    if any(token and not crypto.is_current(token) for token in tokens):
        return True
    stored = row[1 + len(encrypted) :]
    return any(
        field.hash_of(values[field.source]) != old
        for field, old in zip(hashed, stored, strict=True)
    )


def model_rekey(model, *, batch: int = BATCH) -> int:
    """Rewrite the rows of a model whose values or hashes are not under the first key."""
    encrypted, hashed = encrypted_fields_of(model), hash_fields_of(model)
    if not encrypted:
        return 0
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in [*encrypted, *hashed])
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    done, last = 0, None
    while True:
        where = f"WHERE {pk} > %s " if last is not None else ""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {pk}, {columns} FROM {table} {where}ORDER BY {pk} LIMIT {int(batch)}",
                [last] if last is not None else [],
            )
            rows = cursor.fetchall()
        if not rows:
            return done
        last = rows[-1][0]
        with transaction.atomic():
            objects = model._default_manager.select_for_update().in_bulk([row[0] for row in rows])
            stale = []
            for row in rows:
                obj = objects.get(row[0])
                if obj is None:
                    continue
                values = {field.name: getattr(obj, field.attname) for field in encrypted}
                if _stale(row, encrypted, hashed, values):
                    for field in hashed:
                        setattr(obj, field.attname, field.hash_of(values[field.source]))
                    stale.append(obj)
            names = [field.name for field in [*encrypted, *hashed]]
            model._default_manager.bulk_update(stale, names, batch_size=batch)
            done += len(stale)


def roster_files_rekey() -> int:
    """Re-encrypt the stored roster files not under the first key."""
    done = 0
    for name in RosterImport.objects.exclude(stored_file="").values_list("stored_file", flat=True):
        path = roster_file_path(name)
        if not path.is_file():
            continue
        data = path.read_bytes()
        if crypto.is_current(data):
            continue
        rotated = crypto.rotate_bytes(data)
        partial = path.with_name(path.name + ".rekeyed")
        partial.write_bytes(rotated)
        partial.replace(path)  # atomic: the file is never half written
        done += 1
    return done


def encryption_rekey(*, batch: int = BATCH) -> dict[str, int]:
    """Every model's encrypted values and hashes, then the roster files: counts by label."""
    counts = {
        model._meta.label: model_rekey(model, batch=batch)
        for model in apps.get_models()
        if encrypted_fields_of(model)
    }
    counts["roster files"] = roster_files_rekey()
    return counts
