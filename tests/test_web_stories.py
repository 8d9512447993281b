"""Story pages and API (``--db``) against the documented service interface.

``newsweave.stories.service`` offers ``open_db(path)``, ``list_stories(db)``
and ``get_story(db, id)``; a stand-in module with that interface is installed
for these tests, so the web layer is checked on its own.
"""

from __future__ import annotations

import re
import sys
import types
from dataclasses import dataclass, field

import pytest
from fastapi.testclient import TestClient
from test_web_page import make_report

from newsweave.records import Report
from newsweave.web.app import create_app


@dataclass
class FakeStory:
    id: str
    title: str
    articles: int
    outlets: list[str]
    report: Report | None = None
    extra: dict = field(default_factory=dict)


def fake_service(opened: list) -> types.ModuleType:
    mod = types.ModuleType("newsweave.stories.service")
    stories = {
        "s1": FakeStory("s1", "Troops <pulled> back", 2, ["Reuters", "AP"], make_report()),
        "s2": FakeStory("s2", "Other story", 1, ["BBC"]),
    }

    class DB:
        def __init__(self, path):
            self.path, self.closed = path, False
            opened.append(self)

        def close(self):
            self.closed = True

    def open_db(path, create=True):
        assert create is False  # the web pages never create a database
        return DB(path)

    def _matching(query):
        return [v for v in stories.values() if not query or query.lower() in v.title.lower()]

    def list_stories(db, *, limit=None, offset=0, query=None):
        assert not db.closed
        rows = _matching(query)[offset:]
        return rows if limit is None else rows[:limit]

    def count_stories(db, *, query=None):
        assert not db.closed
        return len(_matching(query))

    def get_story(db, story_id):
        if story_id not in stories:
            raise KeyError(story_id)
        return stories[story_id]

    mod.open_db, mod.list_stories, mod.get_story = open_db, list_stories, get_story
    mod.count_stories = count_stories
    return mod


@pytest.fixture
def client(monkeypatch, tmp_path):
    opened: list = []
    pkg = types.ModuleType("newsweave.stories")
    pkg.service = fake_service(opened)
    monkeypatch.setitem(sys.modules, "newsweave.stories", pkg)
    monkeypatch.setitem(sys.modules, "newsweave.stories.service", pkg.service)
    c = TestClient(create_app(db=str(tmp_path / "s.db"), warm=False))
    c.opened = opened
    return c


def test_api_lists_and_gets_stories(client):
    body = client.get("/api/stories").json()
    assert [s["id"] for s in body["stories"]] == ["s1", "s2"]
    assert body["stories"][0]["outlets"] == ["Reuters", "AP"]
    one = client.get("/api/stories/s1").json()
    assert one["title"] == "Troops <pulled> back"
    assert one["report"]["schema"] == "newsweave.report/1"
    assert one["report"]["summary"][0]["citations"]
    missing = client.get("/api/stories/zzz")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"


def test_search_and_pages(client, monkeypatch):
    from newsweave.web import stories, story_pages

    body = client.get("/api/stories", params={"q": "TROOPS"}).json()
    assert [s["id"] for s in body["stories"]] == ["s1"] and body["total"] == 1
    body = client.get("/api/stories", params={"limit": 1, "offset": 1}).json()
    assert [s["id"] for s in body["stories"]] == ["s2"]
    assert (body["total"], body["limit"], body["offset"]) == (2, 1, 1)
    too_far = {"offset": 2**63}  # past SQLite's integers: was a 500
    for bad in ({"limit": 0}, {"limit": 5000}, {"offset": -1}, {"q": "x" * 201}, too_far):
        r = client.get("/api/stories", params=bad)
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    page = client.get("/stories", params={"q": "other"}).text
    assert 'href="/stories/s2"' in page and 'href="/stories/s1"' not in page
    assert 'value="other"' in page and "Stories 1–1 of 1" in page
    assert "No story title matches" in client.get("/stories", params={"q": "<zz>"}).text
    assert "&lt;zz&gt;" in client.get("/stories", params={"q": "<zz>"}).text  # escaped
    bad_page = client.get("/stories", params={"page": "abc"})  # a page, not JSON
    assert bad_page.status_code == 422 and "text/html" in bad_page.headers["content-type"]
    # it showed pydantic's "query.page: Input should be a valid integer, ..."
    assert "page must be a whole number" in bad_page.text and "Input should" not in bad_page.text
    bad_page = client.get("/stories", params={"page": "1.5", "q": "x"})
    assert bad_page.status_code == 422 and "page must be a whole number" in bad_page.text
    monkeypatch.setattr(story_pages, "PAGE", 1)
    monkeypatch.setattr(stories, "PAGE", 1)
    first = client.get("/stories").text
    assert 'rel="next" href="/stories?page=2"' in first and 'rel="prev"' not in first
    second = client.get("/stories", params={"page": 2}).text
    assert 'href="/stories/s2"' in second and 'rel="prev" href="/stories?page=1"' in second
    assert 'rel="next"' not in second
    # past the last page: not "No stories yet", but a way back to the last page
    past = client.get("/stories", params={"page": 9}).text
    assert "No stories yet" not in past and "Page 9 is past the last page" in past
    assert past.count('href="/stories?page=2"') == 2  # the message and "Previous"
    past_q = client.get("/stories", params={"page": 9, "q": "other"}).text
    assert 'href="/stories?q=other&amp;page=1"' in past_q


def test_story_pages(client):
    page = client.get("/stories")
    assert page.status_code == 200
    assert 'href="/stories/s1"' in page.text and "Troops &lt;pulled&gt; back" in page.text
    assert "Reuters, AP" in page.text
    story = client.get("/stories/s1")
    assert story.status_code == 200 and 'class="cite"' in story.text  # the report body
    plain = client.get("/stories/s2")
    assert plain.status_code == 200 and "Other story" in plain.text
    assert client.get("/stories/nope").status_code == 404
    assert 'href="/stories"' in client.get("/").text  # nav link with --db


def test_a_story_page_is_headed_by_the_title_the_list_shows(client):
    """The page's heading was its report's headline (its first article's
    title, "Troops back"), not the story's title the list links it by."""
    page = client.get("/stories/s1").text
    assert "<h1>Troops &lt;pulled&gt; back</h1>" in page
    assert "<title>Troops &lt;pulled&gt; back" in page and "<h1>Troops back</h1>" not in page


def test_database_is_closed_after_each_call(client):
    for _ in range(3):
        client.get("/api/stories")
    client.get("/api/stories/s1")
    client.get("/api/stories/missing")
    assert len(client.opened) == 5
    assert all(db.closed for db in client.opened)


def test_without_stories_module(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "newsweave.stories", None)  # import fails
    c = TestClient(create_app(db=str(tmp_path / "s.db"), warm=False))
    r = c.get("/api/stories")
    assert r.status_code == 503
    assert r.json()["error"]["code"] == "stories_unavailable"
    assert "not installed" in r.json()["error"]["message"]
    assert c.get("/stories").status_code == 503


def test_missing_or_damaged_database_is_503_and_never_created(tmp_path):
    missing = tmp_path / "gone.db"
    c = TestClient(create_app(db=str(missing), warm=False))
    r = c.get("/api/stories")
    assert r.status_code == 503 and r.json()["error"]["code"] == "stories_unavailable"
    assert "gone.db" in r.json()["error"]["message"]
    assert c.get("/stories/1").status_code == 503
    assert not missing.exists()  # a read-only page must not create the database
    damaged = tmp_path / "bad.db"
    damaged.write_bytes(b"not a database at all")
    c = TestClient(create_app(db=str(damaged), warm=False))
    r = c.get("/api/stories")
    assert r.status_code == 503 and "not a newsweave story database" in r.json()["error"]["message"]
    page = c.get("/stories")
    assert page.status_code == 503 and "not a newsweave story database" in page.text
    assert damaged.read_bytes() == b"not a database at all"


def test_real_story_database(sample_story_db, embedder):
    path = sample_story_db
    c = TestClient(create_app(db=path, embedder=embedder, warm=False))
    (row,) = c.get("/api/stories").json()["stories"]
    assert row["size"] == 2
    one = c.get(f"/api/stories/{row['id']}")
    assert one.status_code == 200
    report = one.json()["report"]
    assert report["summary"] and all(s["citations"] for s in report["summary"])
    assert len(one.json()["articles"]) == 2
    page = c.get(f"/stories/{row['id']}")
    assert page.status_code == 200 and page.text.count('class="cite"') >= len(report["summary"])
    listing = c.get("/stories").text
    assert f'href="/stories/{row["id"]}"' in listing
    assert c.get("/api/stories/999").status_code == 404


def test_story_page_links_its_json_only_when_a_browser_can_open_it(sample_story_db, embedder):
    """With a token the API takes the Bearer header only (not the sign-in
    cookie): a JSON link on the story page would answer 401."""
    path = sample_story_db
    c = TestClient(create_app(db=path, embedder=embedder, warm=False))
    (row,) = c.get("/api/stories").json()["stories"]
    assert f'href="/api/stories/{row["id"]}">JSON' in c.get(f"/stories/{row['id']}").text
    c = TestClient(create_app(db=path, embedder=embedder, warm=False, token="s3cret"))
    c.post("/login", data={"token": "s3cret"})
    page = c.get(f"/stories/{row['id']}")
    assert page.status_code == 200 and 'href="/stories">All stories' in page.text
    links = re.findall(r'<a href="([^"#]+)"', page.text)
    assert f"/api/stories/{row['id']}" not in links
    assert all(c.get(h).status_code == 200 for h in links if h != "/docs"), links


def test_a_read_only_database_that_cannot_be_read_says_why(tmp_path, monkeypatch):
    """A read-only story database of an older schema cannot be read without
    upgrading it: the pages said only "cannot open the story database
    (OutputError)"; they now give the reason (read-only simulated: the
    tests run as root, whom chmod does not stop)."""
    pytest.importorskip("newsweave.stories.service")
    import sqlite3

    from newsweave.stories import db as dbmod

    path = tmp_path / "old.db"
    with dbmod.open_db(path):
        pass
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 1")  # an older schema, as an old newsweave left it
    con.close()
    monkeypatch.setattr(dbmod, "unwritable", lambda p: "it is on a read-only file system")
    r = TestClient(create_app(db=str(path), warm=False)).get("/api/stories")
    assert r.status_code == 503
    message = r.json()["error"]["message"]
    assert "must be upgraded" in message and "read-only file system" in message
