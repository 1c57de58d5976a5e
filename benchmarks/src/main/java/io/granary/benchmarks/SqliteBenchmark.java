package io.granary.benchmarks;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The two reads of one API request through the real stores (Jdbi on the Hikari reader pool), and the same
 * SELECTs on one plain JDBC connection, to show what Jdbi and Hikari add.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SqliteBenchmark {

    // Copies of the stores' statements (private there); keep them in step.
    static final String CREDENTIAL_SQL = "SELECT c.id, c.owner_id, c.leaf_user_id, c.provider_id, c.environment,"
            + " c.status, c.status_message, c.created_at, c.updated_at, c.access_expires_at, c.scopes,"
            + " c.next_refresh_at, c.failure_count, c.version, f.name AS field_name, f.sealed AS field_sealed"
            + " FROM credentials c LEFT JOIN credential_fields f ON f.credential_id = c.id"
            + " WHERE c.leaf_user_id = ? AND c.provider_id = ? AND c.owner_id = ?";
    static final String OWNER_SQL = "SELECT id, email, password_hash, disabled, created_at FROM api_owners WHERE id = ?";

    Connection connection;
    PreparedStatement credentialStatement;
    PreparedStatement ownerStatement;

    @Setup(Level.Trial)
    public void prepare(SeededDatabase data) throws SQLException {
        connection = data.db.newConnection(false); // configured like the reader pool's connections
        credentialStatement = connection.prepareStatement(CREDENTIAL_SQL);
        ownerStatement = connection.prepareStatement(OWNER_SQL);
    }

    @TearDown(Level.Trial)
    public void close() throws SQLException {
        connection.close();
    }

    /** SqliteApiOwnerStore.findById: what OwnerService.activeOwner runs for every request. */
    @Benchmark
    public Optional<ApiOwner> ownerFindById(SeededDatabase data) {
        return data.owners.findById(data.ownerId);
    }

    /**
     * SqliteCredentialStore.find: one LEFT JOIN, 4 rows, 4 AES-GCM opens. One user every call, as
     * bench/api-throughput.sh reads, so its pages stay in SQLite's cache; the other credential reads below do the same.
     */
    @Benchmark
    public Optional<Credential> credentialFind(SeededDatabase data) {
        return data.credentials.find(data.ownerId, data.userIds[0], BenchData.PROVIDER_ID);
    }

    /** As credentialFind, but a different user each call: pages come from the OS cache, not SQLite's. */
    @Benchmark
    public Optional<Credential> credentialFindSpread(SeededDatabase data) {
        return data.credentials.find(data.ownerId, data.nextUser(), BenchData.PROVIDER_ID);
    }

    /** The same store and SQL with a sealer that opens nothing: find minus the AES-GCM opens. */
    @Benchmark
    public Optional<Credential> credentialFindNoCrypto(SeededDatabase data) {
        return data.credentialsWithoutCrypto.find(data.ownerId, data.userIds[0], BenchData.PROVIDER_ID);
    }

    /** The owner SELECT on one connection with a reused PreparedStatement. */
    @Benchmark
    public void jdbcOwnerReusedStatement(SeededDatabase data, Blackhole bh) throws SQLException {
        ownerStatement.setString(1, data.ownerId.toString());
        try (ResultSet rs = ownerStatement.executeQuery()) {
            while (rs.next()) {
                bh.consume(rs.getString(1));
                bh.consume(rs.getString(2));
                bh.consume(rs.getString(3));
                bh.consume(rs.getBoolean(4));
                bh.consume(rs.getLong(5));
            }
        }
    }

    /** The credential SELECT on one connection with a reused PreparedStatement; columns read, nothing mapped. */
    @Benchmark
    public void jdbcCredentialReusedStatement(SeededDatabase data, Blackhole bh) throws SQLException {
        readCredential(credentialStatement, data.ownerId, data.userIds[0], bh);
    }

    /** As above but preparing the statement per call, as Jdbi does: separates SQL compilation from the rest. */
    @Benchmark
    public void jdbcCredentialNewStatement(SeededDatabase data, Blackhole bh) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(CREDENTIAL_SQL)) {
            readCredential(ps, data.ownerId, data.userIds[0], bh);
        }
    }

    private static void readCredential(PreparedStatement ps, UUID ownerId, UUID userId, Blackhole bh) throws SQLException {
        ps.setString(1, userId.toString());
        ps.setString(2, BenchData.PROVIDER_ID);
        ps.setString(3, ownerId.toString());
        int rows = 0;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows++;
                for (int column = 1; column <= 16; column++) {
                    bh.consume(rs.getString(column));
                }
            }
        }
        if (rows != 4) {
            throw new IllegalStateException("expected 4 field rows, got " + rows);
        }
    }
}
