"""The story database's schema: numbered migrations.

``MIGRATIONS[i]`` brings the schema from version ``i`` to ``i + 1``;
:func:`.db.open_db` runs each missing step in its own transaction and
records the last one applied in ``PRAGMA user_version``. A new step is
appended, never edited in place: databases written by earlier versions
replay only the steps they lack.
"""

from __future__ import annotations

# Numbered migrations: MIGRATIONS[i] brings the schema from version i to i+1.
# Statements are split on ';' (never put one in a comment).
MIGRATIONS: list[str] = [
    # 1: articles, embeddings, near-duplicate signatures, stories, report cache
    """
    CREATE TABLE articles (
        seq INTEGER PRIMARY KEY,            -- insertion order, internal key
        id TEXT NOT NULL UNIQUE,            -- public article id
        content_hash TEXT NOT NULL UNIQUE,  -- sha256 of the normalised text
        title TEXT, outlet TEXT, url TEXT,
        date TEXT,                          -- as given (ISO 8601 when parsed)
        ts REAL,                            -- date as POSIX seconds, NULL if unknown
        origin TEXT,                        -- file, file:line#doc, feed entry...
        source_cluster TEXT,                -- cluster id in the input dump, if any
        text TEXT NOT NULL,
        duplicate_of INTEGER REFERENCES articles(seq),
        meta TEXT NOT NULL DEFAULT '{}',
        added_at REAL NOT NULL
    );
    CREATE INDEX articles_ts ON articles(ts);
    CREATE TABLE embeddings (
        article INTEGER NOT NULL REFERENCES articles(seq),
        model TEXT NOT NULL,
        dim INTEGER NOT NULL,
        vector BLOB NOT NULL,               -- float16, L2-normalised
        PRIMARY KEY (article, model)
    ) WITHOUT ROWID;
    CREATE TABLE minhash (
        article INTEGER PRIMARY KEY REFERENCES articles(seq),
        sig BLOB NOT NULL                   -- uint32 MinHash signature
    );
    CREATE TABLE lsh (key INTEGER NOT NULL, article INTEGER NOT NULL);
    CREATE INDEX lsh_key ON lsh(key);
    CREATE TABLE stories (
        id INTEGER PRIMARY KEY,
        title TEXT,
        size INTEGER NOT NULL DEFAULT 0,
        first_ts REAL, last_ts REAL,
        centroid BLOB,                      -- float32 sum of member vectors
        model TEXT,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE TABLE story_articles (
        article INTEGER PRIMARY KEY REFERENCES articles(seq),
        story INTEGER NOT NULL REFERENCES stories(id),
        similarity REAL
    );
    CREATE INDEX story_articles_story ON story_articles(story);
    CREATE TABLE reports (
        story INTEGER NOT NULL,
        key TEXT NOT NULL,                  -- hash of article ids + content hashes + options
        body TEXT NOT NULL,                 -- Report JSON (with sentences)
        created_at REAL NOT NULL,
        PRIMARY KEY (story, key)
    );
    CREATE TABLE sources (
        path TEXT PRIMARY KEY,              -- a fully ingested input file
        size INTEGER, mtime REAL,
        articles INTEGER, done_at REAL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    """,
    # 2: document-frequency counters of representations weighted by idf
    """
    CREATE TABLE idf (
        model TEXT NOT NULL,
        kind TEXT NOT NULL,                 -- 'live' (every stored vector) or 'weights'
                                            -- (the snapshot clustering vectors are weighted with)
        docs INTEGER NOT NULL,              -- vectors counted
        df BLOB NOT NULL,                   -- int64 per dimension: vectors non-zero there
        PRIMARY KEY (model, kind)
    );
    """,
    # 3: what a feed URL answered last (conditional requests)
    """
    CREATE TABLE feeds (
        url TEXT PRIMARY KEY,
        etag TEXT,                          -- the ETag header of the last full answer
        last_modified TEXT,                 -- its Last-Modified header
        fetched_at REAL NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)
