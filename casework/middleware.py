"""Language from the user's own choice (cookie), else Chinese: never from the browser; no
copies of a logged-in user's pages kept."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import add_never_cache_headers


class CookieLanguageMiddleware:
    """Chinese by default whatever the browser asks; the header switch sets a cookie."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response


class NoStoreMiddleware:
    """A logged-in user's pages and downloads hold personal data: neither the browser nor a
    proxy keeps a copy (static files, served before this, keep their caching)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        stored = "no-store" in response.get("Cache-Control", "")
        if not stored and user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
