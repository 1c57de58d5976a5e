-- What changed, for copies kept in memory (issue 17): each process reads the rows added since it last looked
-- whenever SQLite says something was committed, and drops only the answers and owner flags they name. Triggers fill
-- it, so every writer counts: another instance, the owners command, a migration. Holds the last 10,000 changes; a
-- process that falls further behind sees the gap in seq and drops everything.

CREATE TABLE change_log (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT, -- never reused, so a gap means rows were pruned
    credential_id TEXT,
    owner_id      TEXT
);

CREATE TRIGGER change_log_prune AFTER INSERT ON change_log
BEGIN
    DELETE FROM change_log WHERE seq <= NEW.seq - 10000;
END;

-- A credential's fields are written only together with an update of its row (insert aside: nothing is kept for a
-- credential before it exists), so the row's triggers cover them; deleting a user deletes its credentials' rows.
CREATE TRIGGER credentials_changed AFTER UPDATE ON credentials
BEGIN
    INSERT INTO change_log (credential_id) VALUES (OLD.id);
END;

CREATE TRIGGER credentials_deleted AFTER DELETE ON credentials
BEGIN
    INSERT INTO change_log (credential_id) VALUES (OLD.id);
END;

CREATE TRIGGER api_owners_changed AFTER UPDATE ON api_owners
BEGIN
    INSERT INTO change_log (owner_id) VALUES (OLD.id);
END;

CREATE TRIGGER api_owners_deleted AFTER DELETE ON api_owners
BEGIN
    INSERT INTO change_log (owner_id) VALUES (OLD.id);
END;
