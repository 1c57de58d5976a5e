package io.granary.benchmarks;

import io.granary.adapter.sqlite.internal.Database;
import io.granary.adapter.sqlite.internal.MigrationRunner;
import io.granary.adapter.sqlite.internal.SqliteApiOwnerStore;
import io.granary.adapter.sqlite.internal.SqliteCredentialStore;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A temporary SQLite file opened exactly as SqliteStorage.open does it (Database.open, migrations, the real
 * stores), holding one owner and {@code users} Leaf users with one VALID Trimble credential each. Bulk rows go in
 * through batched JDBC, sealed as the adapter seals them: inserting 10,000 through the stores would take a write
 * transaction each and dominate every fork's start.
 */
@State(Scope.Benchmark)
public class SeededDatabase {

    @Param("10000")
    public int users;

    public Path dir;
    public Database db;
    public AesGcmSealer sealer;
    public SqliteApiOwnerStore owners;
    public SqliteCredentialStore credentials;
    /** The same store with a sealer that returns values as stored: the SQL and mapping without AES-GCM. */
    public SqliteCredentialStore credentialsWithoutCrypto;
    public UUID ownerId;
    public UUID[] userIds;
    private int next;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("granary-jmh");
        db = Database.open(dir.resolve("granary.db"));
        MigrationRunner.migrate(db);
        sealer = BenchData.sealer();
        owners = new SqliteApiOwnerStore(db);
        credentials = new SqliteCredentialStore(db, sealer);
        credentialsWithoutCrypto = new SqliteCredentialStore(db, PASS_THROUGH);
        ownerId = UUID.randomUUID();
        owners.insert(new ApiOwner(ownerId, "owner@example.com", "$argon-ish-hash", false, Instant.now()));
        userIds = new UUID[users];
        seed();
        Credential check = credentials.find(ownerId, userIds[users / 2], BenchData.PROVIDER_ID).orElseThrow();
        if (check.fields().size() != 4 || owners.findById(ownerId).isEmpty()) {
            throw new IllegalStateException("seeding went wrong: " + check.fields().keySet());
        }
    }

    /** The next user in a fixed cycle through all of them, so lookups do not hit one hot row only. */
    public UUID nextUser() {
        if (next == users) {
            next = 0;
        }
        return userIds[next++];
    }

    private void seed() throws SQLException {
        long now = Instant.now().toEpochMilli() * 1000;
        try (Connection c = db.newConnection(true)) {
            c.setAutoCommit(false);
            try (PreparedStatement user = c.prepareStatement(
                         "INSERT INTO leaf_users (id, owner_id, name, created_at, updated_at) VALUES (?,?,?,?,?)");
                 PreparedStatement cred = c.prepareStatement("INSERT INTO credentials (id, owner_id, leaf_user_id,"
                         + " provider_id, environment, status, created_at, updated_at, access_expires_at, scopes,"
                         + " next_refresh_at, failure_count, version) VALUES (?,?,?,?,'PRODUCTION','VALID',?,?,?,'openid',?,0,3)");
                 PreparedStatement field = c.prepareStatement(
                         "INSERT INTO credential_fields (credential_id, name, sealed) VALUES (?,?,?)")) {
                for (int i = 0; i < users; i++) {
                    UUID userId = UUID.randomUUID();
                    UUID credentialId = UUID.randomUUID();
                    userIds[i] = userId;
                    user.setString(1, userId.toString());
                    user.setString(2, ownerId.toString());
                    user.setString(3, "grower " + i);
                    user.setLong(4, now);
                    user.setLong(5, now);
                    user.addBatch();
                    cred.setString(1, credentialId.toString());
                    cred.setString(2, ownerId.toString());
                    cred.setString(3, userId.toString());
                    cred.setString(4, BenchData.PROVIDER_ID);
                    cred.setLong(5, now);
                    cred.setLong(6, now);
                    cred.setLong(7, now + 3_600_000_000L);
                    cred.setLong(8, now + 3_000_000_000L);
                    cred.addBatch();
                    for (Map.Entry<String, String> f : BenchData.trimbleFields().entrySet()) {
                        field.setString(1, credentialId.toString());
                        field.setString(2, f.getKey());
                        field.setString(3, sealer.seal(f.getValue(), BenchData.fieldContext(credentialId, f.getKey())));
                        field.addBatch();
                    }
                }
                user.executeBatch();
                cred.executeBatch();
                field.executeBatch();
                c.commit();
            }
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        db.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static final SecretSealer PASS_THROUGH = new SecretSealer() {
        @Override
        public String seal(String plaintext, String context) {
            return plaintext;
        }

        @Override
        public String open(String sealed, String context) {
            return sealed;
        }

        @Override
        public boolean needsResealing(String sealed) {
            return false;
        }
    };
}
