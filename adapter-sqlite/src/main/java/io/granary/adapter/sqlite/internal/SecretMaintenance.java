package io.granary.adapter.sqlite.internal;

import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SecretSealer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Whole-database work on sealed values: the start-up key check and re-encryption under a new key. */
public final class SecretMaintenance {

    private static final Logger LOG = LoggerFactory.getLogger(SecretMaintenance.class);

    /** Rows per reseal transaction: short enough that API writes wait milliseconds, not seconds. */
    static final int RESEAL_BATCH = 200;

    private final Database db;
    private final SecretSealer sealer;

    public SecretMaintenance(Database db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    public boolean holdsSecrets() {
        return db.readOne(h -> h.createQuery("SELECT EXISTS (SELECT 1 FROM credential_fields)"
                + " OR EXISTS (SELECT 1 FROM webhooks)").mapTo(Boolean.class).one());
    }

    /** Opens the oldest and the newest sealed value, the two most likely to be under different keys. */
    public void verifySealer() {
        List<SealedValue> samples = db.read(h -> h.createQuery("SELECT rowid, credential_id, name, sealed FROM credential_fields"
                        + " WHERE rowid IN ((SELECT min(rowid) FROM credential_fields), (SELECT max(rowid) FROM credential_fields))")
                .map((rs, ctx) -> new SealedValue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list());
        // Webhook secrets too: after a key change they must open as well, or no alert could be signed.
        samples = new java.util.ArrayList<>(samples);
        samples.addAll(db.read(h -> h.createQuery("SELECT rowid, id, NULL, secret FROM webhooks"
                        + " WHERE rowid IN ((SELECT min(rowid) FROM webhooks), (SELECT max(rowid) FROM webhooks))")
                .map((rs, ctx) -> new SealedValue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                .list()));
        for (SealedValue sample : samples) {
            try {
                sealer.open(sample.sealed(), sample.context());
            } catch (SealException e) {
                throw new SealException("The configured encryption key cannot open the secrets stored in this database"
                        + " (wrong key, or the key that sealed them is missing from the key set)", e);
            }
        }
    }

    /**
     * Re-encrypts every value {@code newSealer.needsResealing}: opened with this storage's sealer, sealed with
     * {@code newSealer}, {@value #RESEAL_BATCH} rows per transaction. Safe to run again after a crash: values
     * already under the new key are skipped. Ends with a truncating WAL checkpoint so old ciphertexts do not
     * linger in the WAL file (SECURE_DELETE has already zeroed them in the database pages).
     */
    public int resealAll(SecretSealer newSealer) {
        long after = 0;
        int resealed = 0;
        while (true) {
            long from = after;
            long[] result = db.write(h -> {
                List<SealedValue> batch = h.createQuery("SELECT rowid, credential_id, name, sealed FROM credential_fields"
                                + " WHERE rowid > :after ORDER BY rowid LIMIT :batch")
                        .bind("after", from).bind("batch", RESEAL_BATCH)
                        .map((rs, ctx) -> new SealedValue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                        .list();
                long changed = 0;
                for (SealedValue v : batch) {
                    if (newSealer.needsResealing(v.sealed())) {
                        String context = SealedFields.context(v.credentialId(), v.name());
                        String plaintext = sealer.open(v.sealed(), context);
                        h.createUpdate("UPDATE credential_fields SET sealed = :sealed WHERE rowid = :rowid")
                                .bind("sealed", newSealer.seal(plaintext, context)).bind("rowid", v.rowid()).execute();
                        changed++;
                    }
                }
                return new long[] {batch.isEmpty() ? -1 : batch.get(batch.size() - 1).rowid(), changed};
            });
            if (result[0] < 0) {
                break;
            }
            after = result[0];
            resealed += (int) result[1];
        }
        int webhookSecrets = resealWebhookSecrets(newSealer);
        checkpointTruncate();
        LOG.info("Resealed {} credential field values and {} webhook secrets under the new key", resealed, webhookSecrets);
        resealed += webhookSecrets;
        return resealed;
    }

    private int resealWebhookSecrets(SecretSealer newSealer) {
        long after = 0;
        int resealed = 0;
        while (true) {
            long from = after;
            long[] result = db.write(h -> {
                List<SealedValue> batch = h.createQuery("SELECT rowid, id, NULL, secret FROM webhooks"
                                + " WHERE rowid > :after ORDER BY rowid LIMIT :batch")
                        .bind("after", from).bind("batch", RESEAL_BATCH)
                        .map((rs, ctx) -> new SealedValue(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4)))
                        .list();
                long changed = 0;
                for (SealedValue v : batch) {
                    if (newSealer.needsResealing(v.sealed())) {
                        String plaintext = sealer.open(v.sealed(), v.context());
                        h.createUpdate("UPDATE webhooks SET secret = :sealed WHERE rowid = :rowid")
                                .bind("sealed", newSealer.seal(plaintext, v.context())).bind("rowid", v.rowid()).execute();
                        changed++;
                    }
                }
                return new long[] {batch.isEmpty() ? -1 : batch.get(batch.size() - 1).rowid(), changed};
            });
            if (result[0] < 0) {
                return resealed;
            }
            after = result[0];
            resealed += (int) result[1];
        }
    }

    private void checkpointTruncate() {
        int busy = db.writerJdbi().withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)")
                .map((rs, ctx) -> rs.getInt(1)).one());
        if (busy != 0) {
            LOG.warn("WAL checkpoint after resealing was blocked by a reader; old ciphertexts stay in the WAL file"
                    + " until the next checkpoint");
        }
    }

    /** A sealed credential field, or (name null) a webhook secret whose id is in {@code credentialId}. */
    private record SealedValue(long rowid, String credentialId, String name, String sealed) {
        String context() {
            return name == null ? SqliteAlertOutbox.secretContext(credentialId) : SealedFields.context(credentialId, name);
        }
    }
}
