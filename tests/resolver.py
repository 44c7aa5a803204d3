"""The project's named URLs, walked from the resolver (the admin's aside: it asks Django's own
permissions), so that tests cover new pages without anyone remembering to add them."""

from django.urls import URLPattern, URLResolver, get_resolver

# requests made by the generated access matrix (tests/casework/test_access_matrix.py and
# test_role_matrix.py), printed at the end of the run by tests/conftest.py
MATRIX_REQUESTS = [0]


def named_patterns(resolver=None, namespace=""):
    """(namespaced name, pattern) of every named URL but the admin's."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name, entry.pattern
