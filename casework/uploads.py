"""Uploads stop being kept at CASEWORK_UPLOAD_MAX_MB: a larger file is dropped, not stored."""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

MB = 1024 * 1024


def upload_limit() -> int:
    return int(settings.CASEWORK_UPLOAD_MAX_MB * MB)


def upload_too_large(request) -> bool:
    """Whether this request carried a file that was dropped for its size."""
    return getattr(request, "upload_too_large", False)


class LimitedUploadHandler(FileUploadHandler):
    """First in the chain: passes chunks on until the file passes the limit, then skips the
    file (the handlers after it discard what they held; the rest of the body is not stored)."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        declared = self.request.META.get("CONTENT_LENGTH") or 0
        try:
            declared = int(declared)
        except ValueError:
            declared = 0
        # the body holds the file and a few small fields: a body well past the limit is refused
        # before a byte of the file is kept
        if declared > upload_limit() + 64 * 1024:
            self._refuse()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > upload_limit():
            self._refuse()
        return raw_data

    def file_complete(self, file_size):
        return None

    def _refuse(self):
        self.request.upload_too_large = True
        raise SkipFile()
