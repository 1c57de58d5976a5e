package io.granary.adapter.postgres.internal;

import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SealingContext;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.domain.Alert;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.StaleWriteException;
import io.granary.spi.Environment;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * Credentials and their sealed fields, for several instances on one database. A refresh is claimed with a lease
 * taken under {@code FOR UPDATE SKIP LOCKED}, so an instance never waits on a row another instance is claiming, and
 * every later write names the version it read: an instance that lost its lease (it stalled, or the database cut its
 * connection) cannot overwrite what the next holder stored. A rotated refresh token must never be lost.
 */
public final class PgCredentialStore implements CredentialStore {

    private static final String SELECT = "SELECT c.id, c.owner_id, c.leaf_user_id, c.provider_id, c.environment,"
            + " c.status, c.status_message, c.created_at, c.updated_at, c.access_expires_at, c.scopes,"
            + " c.next_refresh_at, c.failure_count, c.version, f.name AS field_name, f.sealed AS field_sealed"
            + " FROM credentials c LEFT JOIN credential_fields f ON f.credential_id = c.id";

    private final PgDatabase db;
    private final SecretSealer sealer;

    public PgCredentialStore(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @Override
    public void insert(Credential c) {
        Map<String, String> sealed = sealAll(c.id(), c.fields());
        db.write("the user already has a credential for this provider", h -> {
            h.createUpdate("INSERT INTO credentials (id, owner_id, leaf_user_id, provider_id, environment, status,"
                            + " status_message, created_at, updated_at, access_expires_at, scopes, next_refresh_at,"
                            + " failure_count, version) VALUES (:id, :ownerId, :userId, :providerId, :environment,"
                            + " :status, :statusMessage, :createdAt, :updatedAt, :accessExpiresAt, :scopes,"
                            + " :nextRefreshAt, :failureCount, :version)")
                    .bind("id", c.id()).bind("ownerId", c.ownerId()).bind("userId", c.leafUserId())
                    .bind("providerId", c.providerId()).bind("environment", c.environment().name())
                    .bind("status", c.status().name()).bind("statusMessage", c.statusMessage())
                    .bind("createdAt", Micros.of(c.createdAt())).bind("updatedAt", Micros.of(c.updatedAt()))
                    .bind("accessExpiresAt", Micros.of(c.accessExpiresAt())).bind("scopes", joinScopes(c.scopes()))
                    .bind("nextRefreshAt", Micros.of(c.nextRefreshAt())).bind("failureCount", c.failureCount())
                    .bind("version", c.version())
                    .execute();
            upsertFields(h, c.id(), sealed);
            return null;
        });
    }

    @Override
    public Optional<Credential> find(UUID ownerId, UUID leafUserId, String providerId) {
        return db.readOne(h -> load(h, SELECT + " WHERE c.leaf_user_id = :userId AND c.provider_id = :providerId"
                + " AND c.owner_id = :ownerId", Map.of("userId", leafUserId, "providerId", providerId, "ownerId", ownerId)));
    }

    /** Reads the committed row: what {@code invalid_grant} handling re-reads to tell a lost race from a revoked grant. */
    @Override
    public Optional<Credential> findById(UUID id) {
        return db.readOne(h -> load(h, SELECT + " WHERE c.id = :id", Map.of("id", id)));
    }

    @Override
    public boolean delete(UUID ownerId, UUID leafUserId, String providerId) {
        return db.write(h -> h.createUpdate("DELETE FROM credentials WHERE leaf_user_id = :userId"
                        + " AND provider_id = :providerId AND owner_id = :ownerId")
                .bind("userId", leafUserId).bind("providerId", providerId).bind("ownerId", ownerId)
                .execute()) == 1;
    }

    @Override
    public List<UUID> findDue(Instant now, int limit) {
        // credentials_due in order; leased rows (few) are filtered as the index is walked.
        return db.readOne(h -> h.createQuery("SELECT id FROM credentials"
                        + " WHERE next_refresh_at <= :now AND (lease_until IS NULL OR lease_until <= :now)"
                        + " ORDER BY next_refresh_at LIMIT :limit")
                .bind("now", Micros.of(now)).bind("limit", limit)
                .map((rs, ctx) -> rs.getObject(1, UUID.class)).list());
    }

    /** A leased credential counts from when its lease runs out, so a scheduler does not wake in a loop for it. */
    @Override
    public Optional<Instant> earliestDue() {
        return db.readOne(h -> h.createQuery("SELECT least("
                        + " (SELECT next_refresh_at FROM credentials WHERE next_refresh_at IS NOT NULL AND lease_until IS NULL"
                        + "  ORDER BY next_refresh_at LIMIT 1),"
                        + " (SELECT min(greatest(next_refresh_at, lease_until)) FROM credentials"
                        + "  WHERE lease_owner IS NOT NULL AND next_refresh_at IS NOT NULL))")
                .map((rs, ctx) -> Optional.ofNullable(Micros.toInstant(rs.getObject(1)))).one());
    }

    /**
     * {@code FOR UPDATE SKIP LOCKED}: if another instance is claiming this row right now, this one gets nothing at once
     * instead of waiting for that transaction; if the lease is live, nothing either. Both bump the version only when
     * taken.
     */
    @Override
    public Optional<Credential> claim(UUID id, String claimant, Instant now, Instant leaseUntil) {
        return db.write(h -> {
            int taken = h.createUpdate("UPDATE credentials SET lease_owner = :claimant, lease_until = :until,"
                            + " version = version + 1 WHERE id = (SELECT id FROM credentials WHERE id = :id"
                            + " AND (lease_until IS NULL OR lease_until <= :now) FOR UPDATE SKIP LOCKED)")
                    .bind("claimant", claimant).bind("until", Micros.of(leaseUntil))
                    .bind("id", id).bind("now", Micros.of(now))
                    .execute();
            return taken == 1 ? loadSealed(h, SELECT + " WHERE c.id = :id", Map.of("id", id)) : Optional.<Row>empty();
        }).map(this::toCredential);
    }

    /**
     * A null value in {@code fields} removes that field; null {@code scopes} keeps the stored scopes.
     *
     * <p>Safe to call again with the same arguments when a first call failed with the commit's outcome unknown (the
     * connection was cut during COMMIT): if the row already is at {@code expectedVersion + 1} holding exactly these
     * values, the first call committed, and this one answers as it would have. The core's refresher retries a failed
     * save within its lease, so a rotated token reaches the database, or is known to be there.
     */
    @Override
    public long saveTokens(UUID id, long expectedVersion, Map<String, String> fields, Instant accessExpiresAt,
                           List<String> scopes, Instant now, List<CredentialEvent> events) {
        Map<String, String> sealed = sealAll(id, fields);
        return db.write(h -> {
            int updated = h.createUpdate("UPDATE credentials SET version = version + 1, updated_at = :now,"
                            + " access_expires_at = :expires, scopes = coalesce(:scopes, scopes)"
                            + " WHERE id = :id AND version = :version")
                    .bind("now", Micros.of(now)).bind("expires", Micros.of(accessExpiresAt))
                    .bind("scopes", scopes == null ? null : joinScopes(scopes))
                    .bind("id", id).bind("version", expectedVersion)
                    .execute();
            if (updated != 1) {
                if (alreadySaved(h, id, expectedVersion + 1, fields)) {
                    return expectedVersion + 1;
                }
                throw stale(id);
            }
            upsertFields(h, id, sealed);
            PgCredentialEventStore.insert(h, events);
            return expectedVersion + 1;
        });
    }

    /** True if the row is at {@code version} and its fields open to exactly {@code fields}: an earlier call committed. */
    private boolean alreadySaved(Handle h, UUID id, long version, Map<String, String> fields) {
        Optional<Row> row = loadSealed(h, SELECT + " WHERE c.id = :id", Map.of("id", id));
        if (row.isEmpty() || row.get().version() != version) {
            return false;
        }
        try {
            for (Map.Entry<String, String> field : fields.entrySet()) {
                String stored = row.get().sealed().get(field.getKey());
                String opened = stored == null ? null : sealer.open(stored, SealingContext.credentialField(id, field.getKey()));
                if (!Objects.equals(opened, field.getValue())) {
                    return false;
                }
            }
            return true;
        } catch (SealException e) {
            return false;
        }
    }

    /**
     * The status, its events and its alert in one transaction: a failure of any leaves all unwritten. Lost (a cut
     * connection), the lease runs out and the next refresh decides and writes it again, with the tokens stored.
     */
    @Override
    public long finishRefresh(UUID id, long expectedVersion, CredentialStatus status, String statusMessage,
                              Instant nextRefreshAt, int failureCount, Instant now, Alert alert,
                              List<CredentialEvent> events) {
        return db.write(h -> {
            int updated = h.createUpdate("UPDATE credentials SET status = :status, status_message = :message,"
                            + " next_refresh_at = :next, failure_count = :failures, updated_at = :now,"
                            + " lease_owner = NULL, lease_until = NULL, version = version + 1"
                            + " WHERE id = :id AND version = :version")
                    .bind("status", status.name()).bind("message", statusMessage)
                    .bind("next", Micros.of(nextRefreshAt)).bind("failures", failureCount)
                    .bind("now", Micros.of(now)).bind("id", id).bind("version", expectedVersion)
                    .execute();
            if (updated != 1) {
                throw stale(id);
            }
            PgCredentialEventStore.insert(h, events);
            if (alert != null) {
                PgAlertOutbox.enqueue(h, alert);
            }
            return expectedVersion + 1;
        });
    }

    /** Releasing does not bump the version: the dead run's writes are already refused by the version it held. */
    @Override
    public int releaseLeases(String claimant) {
        return db.write(h -> h.createUpdate("UPDATE credentials SET lease_owner = NULL, lease_until = NULL"
                + " WHERE lease_owner = :claimant").bind("claimant", claimant).execute());
    }

    @Override
    public Map<String, Map<CredentialStatus, Long>> countByProviderAndStatus() {
        return db.readOne(h -> {
            Map<String, Map<CredentialStatus, Long>> counts = new TreeMap<>();
            h.createQuery("SELECT provider_id, status, count(*) FROM credentials GROUP BY provider_id, status")
                    .map((rs, ctx) -> {
                        counts.computeIfAbsent(rs.getString(1), p -> new EnumMap<>(CredentialStatus.class))
                                .put(CredentialStatus.valueOf(rs.getString(2)), rs.getLong(3));
                        return null;
                    }).list();
            return counts;
        });
    }

    private static StaleWriteException stale(UUID id) {
        return new StaleWriteException("credential " + id + " changed since it was read (or is gone)");
    }

    private Map<String, String> sealAll(UUID id, Map<String, String> fields) {
        Map<String, String> sealed = new HashMap<>();
        fields.forEach((name, value) -> sealed.put(name, value == null ? null
                : sealer.seal(value, SealingContext.credentialField(id, name))));
        return sealed;
    }

    private static void upsertFields(Handle h, UUID id, Map<String, String> sealed) {
        PreparedBatch upsert = h.prepareBatch("INSERT INTO credential_fields (credential_id, name, sealed)"
                + " VALUES (:id, :name, :sealed) ON CONFLICT (credential_id, name) DO UPDATE SET sealed = excluded.sealed");
        PreparedBatch remove = h.prepareBatch("DELETE FROM credential_fields WHERE credential_id = :id AND name = :name");
        sealed.forEach((name, value) -> {
            if (value == null) {
                remove.bind("id", id).bind("name", name).add();
            } else {
                upsert.bind("id", id).bind("name", name).bind("sealed", value).add();
            }
        });
        if (upsert.size() > 0) {
            upsert.execute();
        }
        if (remove.size() > 0) {
            remove.execute();
        }
    }

    private Optional<Credential> load(Handle h, String sql, Map<String, ?> args) {
        return loadSealed(h, sql, args).map(this::toCredential);
    }

    private static Optional<Row> loadSealed(Handle h, String sql, Map<String, ?> args) {
        Row[] row = new Row[1];
        h.createQuery(sql).bindMap(args).map((rs, ctx) -> {
            if (row[0] == null) {
                row[0] = Row.of(rs);
            }
            String name = rs.getString("field_name");
            if (name != null) {
                row[0].sealed.put(name, rs.getString("field_sealed"));
            }
            return null;
        }).list();
        return Optional.ofNullable(row[0]);
    }

    private Credential toCredential(Row r) {
        Map<String, String> fields = new HashMap<>();
        // A SealException here means a wrong key or a value moved in the database: let it surface, never skip it.
        r.sealed.forEach((name, value) -> fields.put(name, sealer.open(value, SealingContext.credentialField(r.id, name))));
        return new Credential(r.id, r.ownerId, r.leafUserId, r.providerId, r.environment, fields, r.status,
                r.statusMessage, r.createdAt, r.updatedAt, r.accessExpiresAt, r.scopes, r.nextRefreshAt,
                r.failureCount, r.version);
    }

    // Scope tokens cannot contain spaces (RFC 6749 3.3), so a space-separated column round-trips them.
    private static String joinScopes(List<String> scopes) {
        for (String scope : scopes) {
            if (scope.isEmpty() || scope.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("a scope is empty or contains whitespace");
            }
        }
        return String.join(" ", scopes);
    }

    private static List<String> splitScopes(String scopes) {
        return scopes == null || scopes.isEmpty() ? List.of() : Arrays.asList(scopes.split(" "));
    }

    /** A credential row as read, fields still sealed. */
    private record Row(UUID id, UUID ownerId, UUID leafUserId, String providerId, Environment environment,
                       CredentialStatus status, String statusMessage, Instant createdAt, Instant updatedAt,
                       Instant accessExpiresAt, List<String> scopes, Instant nextRefreshAt, int failureCount,
                       long version, Map<String, String> sealed) {

        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class),
                    rs.getObject("leaf_user_id", UUID.class), rs.getString("provider_id"),
                    Environment.valueOf(rs.getString("environment")), CredentialStatus.valueOf(rs.getString("status")),
                    rs.getString("status_message"), Micros.toInstant(rs.getLong("created_at")),
                    Micros.toInstant(rs.getLong("updated_at")), Micros.toInstant(rs.getObject("access_expires_at")),
                    splitScopes(rs.getString("scopes")), Micros.toInstant(rs.getObject("next_refresh_at")),
                    rs.getInt("failure_count"), rs.getLong("version"), new HashMap<>());
        }
    }
}
