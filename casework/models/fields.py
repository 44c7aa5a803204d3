"""Model fields that keep personal values encrypted in the database and read back as plain values.

An encrypted column holds a Fernet token (casework.crypto); Python code reads and writes the plain
value. Its lookups are the ones a keyed hash can answer: `exact` and `in` go to the field's hash
column (`hash_field`), `endswith` with 4 to 6 characters to its suffix hash columns
(`suffix_fields`), `isnull` to the column itself; any other lookup is refused, so no query can
silently compare a value with ciphertext.
"""

import datetime
import json

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup

from .. import crypto


class _Encrypted:
    """Stored as text: the token of the serialised value; "" and None are kept as they are."""

    def get_internal_type(self):
        return "TextField"

    def db_type(self, connection):
        return connection.data_types["TextField"]

    def to_text(self, value) -> str:
        return str(value)

    def from_text(self, text: str):
        return text

    def get_db_prep_value(self, value, connection, prepared=False):
        if not prepared:
            value = self.get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(self.to_text(value))

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return self.from_text(crypto.decrypt(value))

    def get_lookup(self, lookup_name):
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        lookup = {"exact": HashExact, "in": HashIn, "endswith": HashSuffix}.get(lookup_name)
        if lookup is None or not getattr(self, "hash_field", None):
            raise FieldError(f"{self.name} is encrypted: it supports exact, in and endswith only.")
        return lookup

    def get_transform(self, lookup_name):
        return None


class EncryptedCharField(_Encrypted, models.CharField):
    """Text kept encrypted; `max_length` bounds the plain value (forms), not the column."""

    def __init__(self, *args, hash_field: str = "", suffix_fields: dict | None = None, **kwargs):
        self.hash_field = hash_field
        self.suffix_fields = suffix_fields or {}
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.hash_field:
            kwargs["hash_field"] = self.hash_field
        if self.suffix_fields:
            kwargs["suffix_fields"] = self.suffix_fields
        return name, path, args, kwargs


class EncryptedDateField(_Encrypted, models.DateField):
    """A date kept encrypted (its ISO text); read back as a date."""

    def to_text(self, value) -> str:
        return value.isoformat()

    def from_text(self, text: str):
        return datetime.date.fromisoformat(text)


class EncryptedJSONField(_Encrypted, models.JSONField):
    """A JSON value kept encrypted as one token; nothing queries inside it (no key transforms)."""

    def to_text(self, value) -> str:
        return json.dumps(value, cls=self.encoder or DjangoJSONEncoder, ensure_ascii=False)

    def from_text(self, text: str):
        return json.loads(text, cls=self.decoder)

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return crypto.encrypt(self.to_text(value))


class HashField(models.CharField):
    """The keyed hash (casework.crypto.lookup_hash) of another field's value, or of its last
    `suffix` characters; NULL when that value is empty. Set on every save, bulk inserts too."""

    def __init__(self, *args, source: str = "", suffix: int = 0, **kwargs):
        self.source, self.suffix = source, suffix
        kwargs.update(max_length=64, null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "null", "blank", "editable"):
            kwargs.pop(key, None)
        kwargs["source"] = self.source
        if self.suffix:
            kwargs["suffix"] = self.suffix
        return name, path, args, kwargs

    def hash_of(self, value) -> str | None:
        if not value:
            return None
        text = str(value)
        if self.suffix:
            if len(text) < self.suffix:
                return None
            text = text[-self.suffix :]
        return crypto.lookup_hash(text)

    def pre_save(self, model_instance, add):
        value = self.hash_of(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def hash_fields_of(model) -> list[HashField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, HashField)]


def encrypted_fields_of(model) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields if isinstance(field, _Encrypted)]


def _hash_column(lookup, name: str):
    field = lookup.lhs.target
    return Col(lookup.lhs.alias, field.model._meta.get_field(name))


class _HashLookup(Lookup):
    prepare_rhs = False
    can_use_none_as_rhs = False

    def values(self) -> list[str]:
        raise NotImplementedError

    def column(self) -> str:
        return self.lhs.target.hash_field

    def as_sql(self, compiler, connection):
        if not isinstance(self.lhs, Col):
            raise FieldError("An encrypted field is looked up by its own column only.")
        hashes = [digest for value in self.values() for digest in crypto.lookup_hashes(value)]
        if not hashes:
            return "1 = 0", []
        sql, params = compiler.compile(_hash_column(self, self.column()))
        return f"{sql} IN ({', '.join(['%s'] * len(hashes))})", [*params, *hashes]


class HashExact(_HashLookup):
    lookup_name = "exact"

    def values(self):
        return [str(self.rhs)] if self.rhs not in (None, "") else []


class HashIn(_HashLookup):
    lookup_name = "in"

    def values(self):
        return [str(value) for value in self.rhs if value not in (None, "")]


class HashSuffix(_HashLookup):
    lookup_name = "endswith"

    def column(self) -> str:
        suffixes = self.lhs.target.suffix_fields
        length = len(str(self.rhs))
        if length not in suffixes and str(length) not in suffixes:
            raise FieldError(
                f"{self.lhs.target.name} is encrypted: search its last "
                f"{', '.join(map(str, sorted(map(int, suffixes))))} characters only."
            )
        return suffixes.get(length) or suffixes[str(length)]

    def values(self):
        return [str(self.rhs)]


class YearOfField(models.PositiveSmallIntegerField):
    """The year of another (date) field, kept in clear; set on every save, bulk inserts too. A
    date emptied (erased) keeps the year it had."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.update(null=True, blank=True, editable=False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("null", "blank", "editable"):
            kwargs.pop(key, None)
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        day = getattr(model_instance, self.source)
        if day:
            setattr(model_instance, self.attname, day.year)
        return getattr(model_instance, self.attname)
