"""steppewatch's pipeline as a library: what the CLI, the Prefect flow and the web app call.

    from flows import run_night, preview_alerts, run_alerts, reprocess_tags, verify_archive

docs/API.md has a runnable example of each. Names are imported when first used, so
importing the package stays instant.
"""

from __future__ import annotations

from crawlers.package_api import declared_api

API = {
    "run_night": "flows.night",  # one night without Prefect (the Prefect flow calls it too)
    "RunSummary": "flows.night",
    "nightly": "flows.nightly",  # the same night as a Prefect flow
    "load_settings": "flows.settings",
    "Settings": "flows.settings",
    "Tagger": "flows.tagging.tagger",
    "tag_lines": "flows.tagging.jsonl",
    "preview_alerts": "flows.alerts.preview",
    "run_alerts": "flows.alerts.delivery",
    "resend_alerts": "flows.alerts.delivery:resend",
    "reprocess_tags": "flows.reprocess",
    "verify_archive": "flows.verify",
}
__all__ = sorted(API)

__getattr__ = declared_api(__name__, API)
