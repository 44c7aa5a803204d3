"""collectstatic leaves out static files that no page uses and that break the manifest."""

from django.contrib.staticfiles.apps import StaticFilesConfig


class CaseworkStaticFilesConfig(StaticFilesConfig):
    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        # django-viewflow 2.4 ships the node_modules it built its fonts and css from. Nothing
        # refers to those copies, and one of them (.../roboto-fontface/css/roboto/
        # roboto-fontface.css) points at fonts that are not beside it, which makes the manifest
        # storage's post-processing fail. Leaving them out keeps the storage strict for every
        # file that is served, rather than forgiving missing references everywhere.
        "node_modules",
        # viewflow's own frontend (material theme, dashboards: 115 MB with source maps) is not
        # mounted; the task pages are the project's. Compressing it made collectstatic take
        # minutes. Drop this line if a page ever uses {% static "viewflow/..." %}.
        "viewflow",
    ]
