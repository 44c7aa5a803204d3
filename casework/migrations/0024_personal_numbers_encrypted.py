"""Personal numbers encrypted at rest: the columns become Fernet tokens, the ID number's keyed
hashes are filled, stored roster files are encrypted (docs/encryption.md)."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import casework.models.fields
from casework import crypto

PERSON_TEXT = ("id_number", "phone", "birth_date")
JSON_COLUMNS = (("casework_survey", "answers"), ("casework_surveydraft", "data"),
                ("casework_rosterimport", "report"))  # fmt: skip
BATCH = 1000


def _plain(value) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _rows(cursor, sql):
    cursor.execute(sql)
    while batch := cursor.fetchmany(BATCH):
        yield from batch


def encrypt_existing(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as reading, connection.cursor() as writing:
        for pk, number, phone, born in list(
            _rows(reading, "SELECT id, id_number, phone, birth_date FROM casework_person")
        ):
            number, phone, born = _plain(number), _plain(phone), _plain(born)
            if number and number.startswith("gAAAAA"):
                continue  # already a token: the migration ran before
            hashes = [crypto.lookup_hash(number) if number else None] + [
                crypto.lookup_hash(number[-n:]) if number else None for n in (4, 5, 6)
            ]
            writing.execute(
                "UPDATE casework_person SET id_number = %s, phone = %s, birth_date = %s, "
                "birth_year = %s, id_number_hash = %s, id_suffix4_hash = %s, "
                "id_suffix5_hash = %s, id_suffix6_hash = %s WHERE id = %s",
                [crypto.encrypt(number) if number else "", crypto.encrypt(phone) if phone else "",
                 crypto.encrypt(born) if born else None, int(born[:4]) if born else None,
                 *hashes, pk],
            )  # fmt: skip
        for table, column in JSON_COLUMNS:
            for pk, value in list(_rows(reading, f"SELECT id, {column} FROM {table}")):
                text = _plain(value) if isinstance(value, str) else None
                if text is None:  # psycopg may hand jsonb back decoded
                    text = json.dumps(value, ensure_ascii=False)
                if text.startswith("gAAAAA"):
                    continue
                writing.execute(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s", [crypto.encrypt(text), pk]
                )
        folder = Path(settings.MEDIA_ROOT) / "imports"
        for (name,) in list(_rows(reading, "SELECT stored_file FROM casework_rosterimport")):
            path = folder / name if name else None
            if path and path.is_file():
                data = path.read_bytes()
                if not data.startswith(b"gAAAAA"):
                    path.write_bytes(crypto.encrypt_bytes(data))


def decrypt_existing(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as reading, connection.cursor() as writing:
        for pk, number, phone, born in list(
            _rows(reading, "SELECT id, id_number, phone, birth_date FROM casework_person")
        ):
            writing.execute(
                "UPDATE casework_person SET id_number = %s, phone = %s, birth_date = %s "
                "WHERE id = %s",
                [crypto.decrypt(number) if number else "", crypto.decrypt(phone) if phone else "",
                 crypto.decrypt(born) if born else None, pk],
            )  # fmt: skip
        for table, column in JSON_COLUMNS:
            for pk, value in list(_rows(reading, f"SELECT id, {column} FROM {table}")):
                if value:
                    writing.execute(
                        f"UPDATE {table} SET {column} = %s WHERE id = %s",
                        [crypto.decrypt(value), pk],
                    )


class Migration(migrations.Migration):

    dependencies = [
        ('casework', '0023_user_must_change_password'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='birth_year',
            field=casework.models.fields.YearOfField(source='birth_date', verbose_name='year of birth'),
        ),
        migrations.AddField(
            model_name='person',
            name='erased_on',
            field=models.DateField(blank=True, null=True, verbose_name='personal numbers erased on'),
        ),
        migrations.AddField(
            model_name='person',
            name='id_number_hash',
            field=casework.models.fields.HashField(source='id_number', unique=True),
        ),
        migrations.AddField(
            model_name='person',
            name='id_suffix4_hash',
            field=casework.models.fields.HashField(db_index=True, source='id_number', suffix=4),
        ),
        migrations.AddField(
            model_name='person',
            name='id_suffix5_hash',
            field=casework.models.fields.HashField(db_index=True, source='id_number', suffix=5),
        ),
        migrations.AddField(
            model_name='person',
            name='id_suffix6_hash',
            field=casework.models.fields.HashField(db_index=True, source='id_number', suffix=6),
        ),
        migrations.AlterField(
            model_name='person',
            name='birth_date',
            field=casework.models.fields.EncryptedDateField(blank=True, null=True, verbose_name='birth date'),
        ),
        migrations.AlterField(
            model_name='person',
            name='id_number',
            field=casework.models.fields.EncryptedCharField(blank=True, hash_field='id_number_hash', max_length=18, suffix_fields={4: 'id_suffix4_hash', 5: 'id_suffix5_hash', 6: 'id_suffix6_hash'}, verbose_name='ID number'),
        ),
        migrations.AlterField(
            model_name='person',
            name='phone',
            field=casework.models.fields.EncryptedCharField(blank=True, max_length=20, verbose_name='phone'),
        ),
        migrations.AlterField(
            model_name='rosterimport',
            name='report',
            field=casework.models.fields.EncryptedJSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name='survey',
            name='answers',
            field=casework.models.fields.EncryptedJSONField(blank=True, default=dict, verbose_name='answers'),
        ),
        migrations.AlterField(
            model_name='surveydraft',
            name='data',
            field=casework.models.fields.EncryptedJSONField(default=dict),
        ),
        migrations.RunPython(encrypt_existing, decrypt_existing),
    ]
