-- The provider organizations each credential's grant saw at its latest refresh (issue 16): Leaf's organization
-- routes are served from here. Rows go with their credential.

CREATE TABLE provider_organizations (
    credential_id  TEXT    NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    org_id         TEXT    NOT NULL,
    -- the provider's order at the latest refresh, from 0
    position       INTEGER NOT NULL,
    name           TEXT,
    connected      INTEGER NOT NULL CHECK (connected IN (0, 1)),
    management_uri TEXT,
    -- SELECTED or PREVIEW as set by hand; NULL follows the user's configuration; BLOCKED is never stored
    chosen         TEXT    CHECK (chosen IN ('SELECTED', 'PREVIEW')),
    seen_at        INTEGER NOT NULL,
    PRIMARY KEY (credential_id, org_id)
);
