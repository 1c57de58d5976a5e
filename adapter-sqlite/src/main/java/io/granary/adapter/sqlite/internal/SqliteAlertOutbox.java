package io.granary.adapter.sqlite.internal;

import io.granary.core.crypto.SealException;
import io.granary.core.crypto.SealingContext;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.domain.Alert;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.WebhookDelivery;
import io.granary.core.port.out.AlertOutbox;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alert outbox. Deliveries are claimed with a lease and finished with {@code WHERE lease_owner = :claimant}, so a
 * process whose lease ran out cannot overwrite what the next holder recorded.
 */
public final class SqliteAlertOutbox implements AlertOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteAlertOutbox.class);

    private final Database db;
    private final SecretSealer sealer;

    public SqliteAlertOutbox(Database db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    /**
     * Inside the caller's transaction: stores the alert and one delivery for each webhook of its owner subscribed to
     * its event (at most one, as an event is registered once per owner), due now.
     */
    static void enqueue(Handle h, Alert alert) {
        insertAlert(h, alert);
        List<String> subscribers = h.createQuery("SELECT webhook_id FROM webhook_events WHERE owner_id = :owner AND event = :event")
                .bind("owner", alert.ownerId().toString()).bind("event", alert.event().name())
                .mapTo(String.class).list();
        for (String webhookId : subscribers) {
            insertDelivery(h, alert, webhookId, true);
        }
    }

    static void insertAlert(Handle h, Alert alert) {
        h.createUpdate("INSERT INTO alerts (id, owner_id, event, body, created_at) VALUES (:id, :owner, :event, :body, :at)")
                .bind("id", alert.id().toString()).bind("owner", alert.ownerId().toString())
                .bind("event", alert.event() == null ? null : alert.event().name())
                .bind("body", alert.body()).bind("at", Micros.of(alert.createdAt()))
                .execute();
    }

    static void insertDelivery(Handle h, Alert alert, String webhookId, boolean retries) {
        h.createUpdate("INSERT INTO webhook_deliveries (id, alert_id, webhook_id, retries, attempts, state, next_attempt_at)"
                        + " VALUES (:id, :alert, :webhook, :retries, 0, 'PENDING', :due)")
                .bind("id", UUID.randomUUID().toString()).bind("alert", alert.id().toString()).bind("webhook", webhookId)
                .bind("retries", retries ? 1 : 0).bind("due", Micros.of(alert.createdAt()))
                .execute();
    }

    private record Claimed(String id, String alertId, String webhookId, String ownerId, String url, String sealedSecret,
                           String body, int attempts, boolean retries) {
    }

    @Override
    public List<WebhookDelivery> claimDue(Instant now, String claimant, Instant leaseUntil, int limit) {
        List<Claimed> claimed = db.write(h -> {
            List<String> ids = h.createQuery("SELECT id FROM webhook_deliveries WHERE state = 'PENDING'"
                            + " AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until <= :now)"
                            + " ORDER BY next_attempt_at LIMIT :limit")
                    .bind("now", Micros.of(now)).bind("limit", limit).mapTo(String.class).list();
            List<Claimed> rows = new ArrayList<>();
            for (String id : ids) {
                h.createUpdate("UPDATE webhook_deliveries SET lease_owner = :claimant, lease_until = :until WHERE id = :id")
                        .bind("claimant", claimant).bind("until", Micros.of(leaseUntil)).bind("id", id).execute();
                rows.add(h.createQuery("SELECT d.id, d.alert_id, d.webhook_id, w.owner_id, w.url, w.secret, a.body,"
                                + " d.attempts, d.retries FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id"
                                + " JOIN alerts a ON a.id = d.alert_id WHERE d.id = :id")
                        .bind("id", id)
                        .map((rs, ctx) -> new Claimed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9) == 1))
                        .one());
            }
            return rows;
        });
        // Opened after the transaction: no crypto while holding the write lock.
        List<WebhookDelivery> deliveries = new ArrayList<>();
        for (Claimed c : claimed) {
            String secret;
            try {
                secret = sealer.open(c.sealedSecret(), SealingContext.webhookSecret(c.webhookId()));
            } catch (SealException e) {
                // Left leased: it is retried when the lease runs out, by which time the key may be fixed.
                LOG.warn("cannot open the secret of webhook {}; delivery {} waits for its lease to run out", c.webhookId(), c.id());
                continue;
            }
            deliveries.add(new WebhookDelivery(UUID.fromString(c.id()), UUID.fromString(c.alertId()), UUID.fromString(c.webhookId()),
                    UUID.fromString(c.ownerId()), URI.create(c.url()), secret, c.body(), c.attempts(), c.retries()));
        }
        return deliveries;
    }

    @Override
    public boolean markDelivered(UUID deliveryId, String claimant, Instant now) {
        return db.write(h -> h.createUpdate("UPDATE webhook_deliveries SET state = 'DELIVERED', attempts = attempts + 1,"
                        + " finished_at = :now, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = :id AND lease_owner = :claimant AND state = 'PENDING'")
                .bind("now", Micros.of(now)).bind("id", deliveryId.toString()).bind("claimant", claimant)
                .execute()) == 1;
    }

    @Override
    public boolean recordFailure(UUID deliveryId, String claimant, FailedCall call, Instant nextAttemptAt) {
        return db.write(h -> {
            int updated = h.createUpdate("UPDATE webhook_deliveries SET attempts = attempts + 1,"
                            + " state = CASE WHEN :next IS NULL THEN 'FAILED' ELSE 'PENDING' END,"
                            + " next_attempt_at = :next, finished_at = CASE WHEN :next IS NULL THEN :now END,"
                            + " lease_owner = NULL, lease_until = NULL"
                            + " WHERE id = :id AND lease_owner = :claimant AND state = 'PENDING'")
                    .bind("next", Micros.of(nextAttemptAt)).bind("now", Micros.of(call.createdAt()))
                    .bind("id", deliveryId.toString()).bind("claimant", claimant)
                    .execute();
            if (updated != 1) {
                return false;
            }
            h.createUpdate("INSERT INTO webhook_failed_calls (owner_id, webhook_id, created_at, url, status, response,"
                            + " request_body, connection_error) VALUES (:owner, :webhook, :at, :url, :status, :response,"
                            + " :body, :error)")
                    .bind("owner", call.ownerId().toString()).bind("webhook", call.webhookId().toString())
                    .bind("at", Micros.of(call.createdAt())).bind("url", call.url()).bind("status", call.status())
                    .bind("response", call.response()).bind("body", call.requestBody()).bind("error", call.connectionError())
                    .execute();
            return true;
        });
    }

    @Override
    public Optional<Instant> earliestDue() {
        return db.readOne(h -> h.createQuery("SELECT min(max(next_attempt_at, coalesce(lease_until, 0)))"
                        + " FROM webhook_deliveries WHERE state = 'PENDING'")
                .map((rs, ctx) -> Optional.ofNullable(Micros.toInstant(rs.getObject(1)))).one());
    }

    @Override
    public long backlog() {
        return db.readOne(h -> h.createQuery("SELECT count(*) FROM webhook_deliveries WHERE state = 'PENDING'")
                .mapTo(Long.class).one());
    }

    @Override
    public int releaseLeases(String claimant) {
        return db.write(h -> h.createUpdate("UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL"
                + " WHERE lease_owner = :claimant").bind("claimant", claimant).execute());
    }

    @Override
    public int purgeOlderThan(Instant cutoff) {
        Long at = Micros.of(cutoff);
        return db.write(h -> h.createUpdate("DELETE FROM webhook_failed_calls WHERE created_at < :at").bind("at", at).execute()
                + h.createUpdate("DELETE FROM webhook_deliveries WHERE state <> 'PENDING' AND finished_at < :at").bind("at", at).execute()
                + h.createUpdate("DELETE FROM alerts WHERE created_at < :at"
                        + " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.alert_id = alerts.id)").bind("at", at).execute());
    }
}
