-- The Leaf-compatibility tables, as SQLite's V005 and V006 (issue 16). Same columns and meaning, so `migrate`
-- copies them as they are: `connected` is boolean here (0/1 on SQLite), ids are uuid.

-- The provider organizations each credential's grant saw at its latest refresh; rows go with their credential.
CREATE TABLE provider_organizations (
    credential_id  uuid    NOT NULL REFERENCES credentials (id) ON DELETE CASCADE,
    org_id         text    NOT NULL,
    -- the provider's order at the latest refresh, from 0
    position       integer NOT NULL,
    name           text,
    connected      boolean NOT NULL,
    management_uri text,
    -- SELECTED or PREVIEW as set by hand; NULL follows the user's configuration; BLOCKED is never stored
    chosen         text    CHECK (chosen IN ('SELECTED', 'PREVIEW')),
    seen_at        bigint  NOT NULL,
    PRIMARY KEY (credential_id, org_id)
);

-- Leaf's configuration service: values owners and users set explicitly, each as JSON text. Defaults are not
-- stored; a user's values go with the user.
CREATE TABLE owner_configurations (
    owner_id uuid NOT NULL REFERENCES api_owners (id) ON DELETE CASCADE,
    field    text NOT NULL,
    value    text NOT NULL,
    PRIMARY KEY (owner_id, field)
);

CREATE TABLE user_configurations (
    owner_id     uuid NOT NULL,
    leaf_user_id uuid NOT NULL,
    field        text NOT NULL,
    value        text NOT NULL,
    PRIMARY KEY (leaf_user_id, field),
    FOREIGN KEY (leaf_user_id, owner_id) REFERENCES leaf_users (id, owner_id) ON DELETE CASCADE
);
