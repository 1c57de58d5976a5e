package io.granary.app;

import io.granary.core.crypto.SecretSealer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;

/**
 * Seeds Trimble credentials straight into a stopped Granary's database: batched inserts in large transactions,
 * fields sealed with the data directory's own master key exactly as the storage adapter seals them
 * ({@code credential:<id>:<name>}), so the service reads them as its own. The database must have been created
 * by starting Granary once (schema, owner, key). Far faster than the API: one fsync per 20,000 rows.
 */
final class Seeder {

    private Seeder() {
    }

    /**
     * @param refreshToken the refresh token of the i-th credential
     * @param nextRefresh  when the i-th credential is due
     * @return the Leaf user ids, in seeding order (each holds one Trimble credential)
     */
    static List<String> seed(Path dataDir, int n, IntFunction<String> refreshToken, IntFunction<Instant> nextRefresh,
                     String status, Instant accessExpiresAt) throws Exception {
        DataDirectory data = new DataDirectory(dataDir);
        SecretSealer sealer = MasterKeys.configured(Settings.from(Map.of("GRANARY_DATA_DIR", dataDir.toString())), data).sealer();
        long now = micros(Instant.now());
        List<String> userIds = new ArrayList<>(n);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(Application.DATABASE_FILE))) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA foreign_keys=ON");
            }
            String owner;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM api_owners LIMIT 1")) {
                if (!rs.next()) {
                    throw new IllegalStateException("start Granary once first: no API owner yet");
                }
                owner = rs.getString(1);
            }
            c.setAutoCommit(false);
            try (PreparedStatement user = c.prepareStatement("INSERT INTO leaf_users (id, owner_id, name, created_at, updated_at) VALUES (?,?,?,?,?)");
                 PreparedStatement cred = c.prepareStatement("INSERT INTO credentials (id, owner_id, leaf_user_id, provider_id, environment, status,"
                         + " status_message, created_at, updated_at, access_expires_at, scopes, next_refresh_at, failure_count, version)"
                         + " VALUES (?,?,?,'Trimble','PRODUCTION',?,NULL,?,?,?,'',?,0,0)");
                 PreparedStatement field = c.prepareStatement("INSERT INTO credential_fields (credential_id, name, sealed) VALUES (?,?,?)")) {
                for (int i = 0; i < n; i++) {
                    String userId = UUID.randomUUID().toString();
                    userIds.add(userId);
                    UUID credentialId = UUID.randomUUID();
                    user.setString(1, userId);
                    user.setString(2, owner);
                    user.setString(3, "grower " + i);
                    user.setLong(4, now);
                    user.setLong(5, now);
                    user.addBatch();
                    cred.setString(1, credentialId.toString());
                    cred.setString(2, owner);
                    cred.setString(3, userId);
                    cred.setString(4, status);
                    cred.setLong(5, now);
                    cred.setLong(6, now);
                    if (accessExpiresAt == null) {
                        cred.setNull(7, java.sql.Types.INTEGER);
                    } else {
                        cred.setLong(7, micros(accessExpiresAt));
                    }
                    cred.setLong(8, micros(nextRefresh.apply(i)));
                    cred.addBatch();
                    addField(field, sealer, credentialId, "clientId", io.granary.testkit.FakeTokenServer.CLIENT_ID);
                    addField(field, sealer, credentialId, "clientSecret", io.granary.testkit.FakeTokenServer.CLIENT_SECRET);
                    addField(field, sealer, credentialId, "refreshToken", refreshToken.apply(i));
                    if ((i + 1) % 20_000 == 0 || i == n - 1) {
                        user.executeBatch();
                        cred.executeBatch();
                        field.executeBatch();
                        c.commit();
                    }
                }
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
        return userIds;
    }

    private static void addField(PreparedStatement field, SecretSealer sealer, UUID id, String name, String value) throws Exception {
        field.setString(1, id.toString());
        field.setString(2, name);
        field.setString(3, sealer.seal(value, io.granary.core.crypto.SealingContext.credentialField(id, name)));
        field.addBatch();
    }

    static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }
}
