package io.granary.adapter.sqlite.internal;

import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SecretSealer;
import java.util.List;

/** The start-up key check and key rotation for sealed app keys, beside {@link SecretMaintenance}'s for credentials. */
public final class AppKeySecrets {

    private final Database db;
    private final SecretSealer sealer;

    public AppKeySecrets(Database db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    public boolean holdsSecrets() {
        return db.readOne(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM app_keys)").mapTo(Boolean.class).one());
    }

    public void verifySealer() {
        for (Row row : rows("WHERE rowid IN ((SELECT min(rowid) FROM app_keys), (SELECT max(rowid) FROM app_keys))")) {
            try {
                sealer.open(row.sealed(), row.context());
            } catch (SealException e) {
                throw new SealException("The configured encryption key cannot open the app keys stored in this database"
                        + " (wrong key, or the key that sealed them is missing from the key set)", e);
            }
        }
    }

    /** App keys are few (one per owner and provider app): one transaction re-encrypts them all. */
    public int resealAll(SecretSealer newSealer) {
        return db.write(h -> {
            int changed = 0;
            for (Row row : rows("")) {
                if (newSealer.needsResealing(row.sealed())) {
                    String plaintext = sealer.open(row.sealed(), row.context());
                    h.createUpdate("UPDATE app_keys SET sealed = :sealed WHERE rowid = :rowid")
                            .bind("sealed", newSealer.seal(plaintext, row.context())).bind("rowid", row.rowid()).execute();
                    changed++;
                }
            }
            return changed;
        });
    }

    private List<Row> rows(String where) {
        return db.read(h -> h.createQuery("SELECT rowid, owner_id, provider_id, app_name, environment, sealed FROM app_keys " + where)
                .map((rs, ctx) -> new Row(rs.getLong(1), SqliteAppKeyStore.context(rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)), rs.getString(6)))
                .list());
    }

    private record Row(long rowid, String context, String sealed) {
    }
}
