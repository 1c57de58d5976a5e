-- Leaf's configuration service (issue 16): values owners and users set explicitly, each as JSON text.
-- Defaults are not stored; a user's values go with the user.

CREATE TABLE owner_configurations (
    owner_id TEXT NOT NULL REFERENCES api_owners (id) ON DELETE CASCADE,
    field    TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (owner_id, field)
);

CREATE TABLE user_configurations (
    owner_id     TEXT NOT NULL,
    leaf_user_id TEXT NOT NULL,
    field        TEXT NOT NULL,
    value        TEXT NOT NULL,
    PRIMARY KEY (leaf_user_id, field),
    FOREIGN KEY (leaf_user_id, owner_id) REFERENCES leaf_users (id, owner_id) ON DELETE CASCADE
);
