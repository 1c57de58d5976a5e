package io.granary.app;

import io.granary.adapter.postgres.testing.TestPostgres;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.crypto.SealingContext;
import io.granary.testkit.FakeTokenServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Seeds VALID Trimble credentials straight into a running cluster's PostgreSQL database, sealed with the cluster's
 * master key under core's sealing contexts, exactly as the adapter stores them: the API would take minutes for
 * thousands on a loaded 2-core machine. The first API owner must exist (start an instance first).
 */
final class PgSeeder {

    private PgSeeder() {
    }

    /** @return the Leaf user id of each credential, in order of {@code refreshTokens} */
    static List<String> seed(TestPostgres.Database database, List<String> refreshTokens, Instant nextRefresh) throws Exception {
        AesGcmSealer sealer = AesGcmSealer.ofKeyRing(List.of(Base64.getDecoder().decode(
                PostgresCluster.settingsFor(database).get("GRANARY_MASTER_KEY"))));
        long now = Seeder.micros(Instant.now());
        List<String> users = new ArrayList<>();
        try (Connection c = database.connect()) {
            UUID owner;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id FROM api_owners ORDER BY seq LIMIT 1")) {
                rs.next();
                owner = rs.getObject(1, UUID.class);
            }
            c.setAutoCommit(false);
            try (PreparedStatement user = c.prepareStatement("INSERT INTO leaf_users (id, owner_id, name, created_at, updated_at) VALUES (?,?,?,?,?)");
                 PreparedStatement cred = c.prepareStatement("INSERT INTO credentials (id, owner_id, leaf_user_id, provider_id, environment,"
                         + " status, created_at, updated_at, access_expires_at, scopes, next_refresh_at, failure_count, version)"
                         + " VALUES (?,?,?,'Trimble','PRODUCTION','VALID',?,?,?,'',?,0,1)");
                 PreparedStatement field = c.prepareStatement("INSERT INTO credential_fields (credential_id, name, sealed) VALUES (?,?,?)")) {
                for (int i = 0; i < refreshTokens.size(); i++) {
                    UUID userId = UUID.randomUUID();
                    UUID id = UUID.randomUUID();
                    user.setObject(1, userId);
                    user.setObject(2, owner);
                    user.setString(3, "grower " + i);
                    user.setLong(4, now);
                    user.setLong(5, now);
                    user.addBatch();
                    cred.setObject(1, id);
                    cred.setObject(2, owner);
                    cred.setObject(3, userId);
                    cred.setLong(4, now);
                    cred.setLong(5, now);
                    cred.setLong(6, now + 3_600_000_000L);
                    cred.setLong(7, Seeder.micros(nextRefresh));
                    cred.addBatch();
                    String[][] fields = {{"clientId", FakeTokenServer.CLIENT_ID}, {"clientSecret", FakeTokenServer.CLIENT_SECRET},
                            {"refreshToken", refreshTokens.get(i)}};
                    for (String[] f : fields) {
                        field.setObject(1, id);
                        field.setString(2, f[0]);
                        field.setString(3, sealer.seal(f[1], SealingContext.credentialField(id, f[0])));
                        field.addBatch();
                    }
                    users.add(userId.toString());
                }
                user.executeBatch();
                cred.executeBatch();
                field.executeBatch();
                c.commit();
            }
        }
        return users;
    }
}
