"""The web face of newsweave: HTML pages and a JSON API over the library.

``newsweave serve`` runs :func:`newsweave.web.app.create_app` with uvicorn;
:func:`newsweave.web.page.report_page` renders a report as one self-contained
HTML page (also used by ``newsweave summarize --format html``). Needs the
``web`` extra (FastAPI, uvicorn, python-multipart, httpx) except for
``page``, which uses only the standard library.
"""
