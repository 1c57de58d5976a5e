-- Alert webhooks and their outbox. Ids are UUID text, timestamps epoch microseconds, as in V001.

CREATE TABLE webhooks (
    id         TEXT    NOT NULL PRIMARY KEY,
    owner_id   TEXT    NOT NULL REFERENCES api_owners (id),
    name       TEXT    NOT NULL,
    url        TEXT    NOT NULL,
    -- SecretSealer output bound to webhook:<id>:secret, never plaintext
    secret     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (id, owner_id)
);
CREATE INDEX webhooks_owner_created ON webhooks (owner_id, created_at);

-- One row per subscribed event. The primary key is Leaf's rule: an event is registered once per owner.
CREATE TABLE webhook_events (
    owner_id   TEXT NOT NULL,
    event      TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    PRIMARY KEY (owner_id, event),
    FOREIGN KEY (webhook_id, owner_id) REFERENCES webhooks (id, owner_id) ON DELETE CASCADE
);
CREATE INDEX webhook_events_webhook ON webhook_events (webhook_id);

-- The outbox. Written in the transaction that changes a credential's status (or registers a webhook). No key to
-- credentials: an alert about a credential deleted meanwhile is still news.
CREATE TABLE alerts (
    id         TEXT    NOT NULL PRIMARY KEY,
    owner_id   TEXT    NOT NULL,
    event      TEXT,             -- NULL: the confirmation sent to one webhook on registration
    body       TEXT    NOT NULL, -- the exact JSON sent and signed; holds no secrets
    created_at INTEGER NOT NULL
);
CREATE INDEX alerts_created ON alerts (created_at);

-- One row per (alert, webhook), claimed with a lease like credentials; its id is the webhook-id header.
CREATE TABLE webhook_deliveries (
    id              TEXT    NOT NULL PRIMARY KEY,
    alert_id        TEXT    NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    webhook_id      TEXT    NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    retries         INTEGER NOT NULL, -- 0 for a confirmation: tried once
    attempts        INTEGER NOT NULL DEFAULT 0,
    state           TEXT    NOT NULL, -- PENDING, DELIVERED, FAILED
    next_attempt_at INTEGER,
    lease_owner     TEXT,
    lease_until     INTEGER,
    finished_at     INTEGER,
    UNIQUE (alert_id, webhook_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, lease_until) WHERE state = 'PENDING';
CREATE INDEX webhook_deliveries_lease_owner ON webhook_deliveries (lease_owner) WHERE lease_owner IS NOT NULL;
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (webhook_id);
CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (finished_at) WHERE state <> 'PENDING';

-- Every failed attempt. No key to webhooks: the owner may want to read why a deleted webhook failed.
CREATE TABLE webhook_failed_calls (
    id               INTEGER PRIMARY KEY,
    owner_id         TEXT    NOT NULL,
    webhook_id       TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    url              TEXT    NOT NULL,
    status           INTEGER,
    response         TEXT,
    request_body     TEXT    NOT NULL,
    connection_error TEXT
);
CREATE INDEX webhook_failed_calls_owner_created ON webhook_failed_calls (owner_id, created_at);
CREATE INDEX webhook_failed_calls_created ON webhook_failed_calls (created_at);
