-- What changed, for copies kept in memory (issue 17; SQLite's V004 change_log does the same job there). A commit that
-- updates or deletes a credential or an API owner sends `NOTIFY granary_changes, 'c:<id>'` (or 'o:<id>'): PostgreSQL
-- delivers it at commit, in commit order, to every session LISTENing on the channel, so every instance hears of it,
-- whoever wrote (another instance, the owners command, psql). Within one transaction, identical notifications are sent
-- once, so a user's deletion cascading to its credentials, or several updates of one row, cost one each.
--
-- The writer hears of its own changes at once, with no extra round trip: in Granary's own sessions (which set
-- granary.tell_writer) the trigger also raises a NOTICE carrying the same text, which arrives with the statement's
-- answer. PgDatabase collects them and tells its process's feed right after the transaction ends.
--
-- Inserts say nothing: nothing can be kept of a row before it exists. A credential's sealed fields (table
-- credential_fields) are written only together with an update of its row that leaves the refresh lease alone (a
-- save), or resealed by rotate-key (the same values), so the row's trigger covers them. What is not told: an update
-- that takes or releases a refresh lease and changes nothing else but the version (a claim, a release). Nothing kept
-- shows those, and every notifying commit takes PostgreSQL's notification lock (commits that notify are serialized),
-- so the claims of a refresh storm stay out of it.

CREATE FUNCTION granary_tell_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change text := TG_ARGV[0] || OLD.id;
BEGIN
    PERFORM pg_notify('granary_changes', change);
    IF current_setting('granary.tell_writer', true) = 'on' THEN
        RAISE NOTICE USING MESSAGE = change, ERRCODE = 'GR001';
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER credentials_changed AFTER UPDATE ON credentials FOR EACH ROW
    WHEN ((OLD.lease_owner, OLD.lease_until) IS NOT DISTINCT FROM (NEW.lease_owner, NEW.lease_until)
          OR (to_jsonb(OLD) - '{lease_owner,lease_until,version}'::text[])
             IS DISTINCT FROM (to_jsonb(NEW) - '{lease_owner,lease_until,version}'::text[]))
    EXECUTE FUNCTION granary_tell_change('c:');

-- Also what ON DELETE CASCADE deletes: a Leaf user's deletion tells each of its credentials.
CREATE TRIGGER credentials_deleted AFTER DELETE ON credentials FOR EACH ROW
    EXECUTE FUNCTION granary_tell_change('c:');

CREATE TRIGGER api_owners_changed AFTER UPDATE ON api_owners FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION granary_tell_change('o:');

CREATE TRIGGER api_owners_deleted AFTER DELETE ON api_owners FOR EACH ROW
    EXECUTE FUNCTION granary_tell_change('o:');
