package io.granary.adapter.postgres.internal;

import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.out.CredentialEventStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;

/** Provider-call events, stored as given: the caller redacts them before they get here. */
public final class PgCredentialEventStore implements CredentialEventStore {

    /** Rows per purge transaction, so a large purge holds no lock long enough to stall a refresh. */
    static final int PURGE_BATCH = 1_000;

    private final PgDatabase db;

    public PgCredentialEventStore(PgDatabase db) {
        this.db = db;
    }

    @Override
    public void append(CredentialEvent e) {
        db.write("an event with this id already exists", h -> {
            insert(h, List.of(e));
            return null;
        });
    }

    /** Appends events inside a transaction the caller holds (a credential write they belong to). */
    static void insert(Handle h, List<CredentialEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        PreparedBatch batch = h.prepareBatch("INSERT INTO credential_events"
                + " (id, credential_id, created_at, method, url, status_code, headers, body, duration_ms)"
                + " VALUES (:id, :credentialId, :createdAt, :method, :url, :status, :headers, :body, :duration)");
        for (CredentialEvent e : events) {
            batch.bind("id", e.id()).bind("credentialId", e.credentialId()).bind("createdAt", Micros.of(e.createdAt()))
                    .bind("method", e.method()).bind("url", e.url()).bind("status", e.statusCode())
                    .bind("headers", e.headers()).bind("body", e.body()).bind("duration", e.durationMillis())
                    .add();
        }
        batch.execute();
    }

    @Override
    public Page<CredentialEvent> page(UUID credentialId, PageRequest page) {
        // seq breaks ties between events of the same microsecond, in insertion order; the index covers both.
        String order = page.ascending() ? "created_at, seq" : "created_at DESC, seq DESC";
        return db.read(h -> {
            List<CredentialEvent> items = h.createQuery("SELECT id, credential_id, created_at, method, url, status_code,"
                            + " headers, body, duration_ms FROM credential_events WHERE credential_id = :id"
                            + " ORDER BY " + order + " LIMIT :limit OFFSET :offset")
                    .bind("id", credentialId).bind("limit", page.size()).bind("offset", page.offset())
                    .map(PgCredentialEventStore::map).list();
            long total = h.createQuery("SELECT count(*) FROM credential_events WHERE credential_id = :id")
                    .bind("id", credentialId).mapTo(Long.class).one();
            return new Page<>(items, total);
        });
    }

    @Override
    public int purgeOlderThan(Instant cutoff) {
        long before = Micros.of(cutoff);
        int total = 0;
        int deleted;
        do {
            deleted = db.write(h -> h.createUpdate("DELETE FROM credential_events WHERE id IN"
                            + " (SELECT id FROM credential_events WHERE created_at < :before LIMIT :batch)")
                    .bind("before", before).bind("batch", PURGE_BATCH).execute());
            total += deleted;
        } while (deleted == PURGE_BATCH);
        return total;
    }

    private static CredentialEvent map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new CredentialEvent(rs.getObject("id", UUID.class), rs.getObject("credential_id", UUID.class),
                Micros.toInstant(rs.getLong("created_at")), rs.getString("method"), rs.getString("url"),
                rs.getInt("status_code"), rs.getString("headers"), rs.getString("body"), rs.getLong("duration_ms"));
    }
}
