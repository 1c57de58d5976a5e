-- App keys, magic links and the consents in progress (issue 5). Timestamps are epoch microseconds.

CREATE TABLE app_keys (
    owner_id    TEXT    NOT NULL REFERENCES api_owners (id) ON DELETE CASCADE,
    provider_id TEXT    NOT NULL,
    app_name    TEXT    NOT NULL,
    environment TEXT    NOT NULL,
    -- SecretSealer output of the app's fields as JSON, bound to app-key:<owner>:<provider>:<app>:<environment>
    sealed      TEXT    NOT NULL,
    scopes      TEXT    NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (owner_id, provider_id, app_name, environment)
);

CREATE TABLE magic_links (
    id                TEXT    NOT NULL PRIMARY KEY,
    owner_id          TEXT    NOT NULL,
    leaf_user_id      TEXT    NOT NULL,
    -- space-separated provider ids, in the owner's order
    allowed_providers TEXT    NOT NULL,
    -- the page settings as JSON (validated colours, http(s) image URLs, names)
    settings          TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    expires_at        INTEGER NOT NULL,
    last_accessed_at  INTEGER,
    max_usage         INTEGER,
    usage_count       INTEGER NOT NULL DEFAULT 0,
    FOREIGN KEY (leaf_user_id, owner_id) REFERENCES leaf_users (id, owner_id) ON DELETE CASCADE
);
CREATE INDEX magic_links_owner_created ON magic_links (owner_id, created_at);

-- A consent in progress, under the SHA-256 of its state: the callback deletes the row, so a state works once.
CREATE TABLE pending_authorizations (
    state_hash   TEXT    NOT NULL PRIMARY KEY,
    link_id      TEXT    NOT NULL REFERENCES magic_links (id) ON DELETE CASCADE,
    provider_id  TEXT    NOT NULL,
    browser_hash TEXT    NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX pending_authorizations_expires ON pending_authorizations (expires_at);
