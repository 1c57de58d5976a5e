-- The first schema. Ids are UUID text, timestamps are epoch microseconds (Leaf shows microseconds).

CREATE TABLE api_owners (
    id            TEXT    NOT NULL PRIMARY KEY,
    email         TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
);
-- lower() folds ASCII only, like the rest of SQLite, and emails are ASCII in practice.
CREATE UNIQUE INDEX api_owners_email ON api_owners (lower(email));

CREATE TABLE leaf_users (
    id          TEXT    NOT NULL PRIMARY KEY,
    owner_id    TEXT    NOT NULL REFERENCES api_owners (id),
    name        TEXT,
    email       TEXT,
    phone       TEXT,
    address     TEXT,
    external_id TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    -- target of the (leaf_user_id, owner_id) key of credentials, so a credential cannot name another owner
    UNIQUE (id, owner_id)
);
CREATE INDEX leaf_users_owner_created ON leaf_users (owner_id, created_at);
CREATE INDEX leaf_users_owner_email ON leaf_users (owner_id, email);
CREATE INDEX leaf_users_owner_name ON leaf_users (owner_id, name);
CREATE INDEX leaf_users_owner_external_id ON leaf_users (owner_id, external_id);

CREATE TABLE credentials (
    id                TEXT    NOT NULL PRIMARY KEY,
    owner_id          TEXT    NOT NULL,
    leaf_user_id      TEXT    NOT NULL,
    provider_id       TEXT    NOT NULL,
    environment       TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    status_message    TEXT,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    access_expires_at INTEGER,
    scopes            TEXT    NOT NULL DEFAULT '',
    next_refresh_at   INTEGER,
    failure_count     INTEGER NOT NULL DEFAULT 0,
    version           INTEGER NOT NULL,
    lease_owner       TEXT,
    lease_until       INTEGER,
    UNIQUE (leaf_user_id, provider_id),
    FOREIGN KEY (leaf_user_id, owner_id) REFERENCES leaf_users (id, owner_id) ON DELETE CASCADE
);
-- Serves findDue and earliestDue without touching the table: range on next_refresh_at, lease checked in the index.
CREATE INDEX credentials_due ON credentials (next_refresh_at, lease_until, id);
CREATE INDEX credentials_lease_owner ON credentials (lease_owner) WHERE lease_owner IS NOT NULL;

CREATE TABLE credential_fields (
    credential_id TEXT NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    -- SecretSealer output bound to credential:<id>:<name>, never plaintext
    sealed        TEXT NOT NULL,
    PRIMARY KEY (credential_id, name)
);

CREATE TABLE credential_events (
    id            TEXT    NOT NULL PRIMARY KEY,
    credential_id TEXT    NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    created_at    INTEGER NOT NULL,
    method        TEXT    NOT NULL,
    url           TEXT    NOT NULL,
    status_code   INTEGER NOT NULL,
    headers       TEXT,
    body          TEXT,
    duration_ms   INTEGER NOT NULL
);
CREATE INDEX credential_events_credential_created ON credential_events (credential_id, created_at);
-- purgeOlderThan deletes by age across all credentials
CREATE INDEX credential_events_created ON credential_events (created_at);
