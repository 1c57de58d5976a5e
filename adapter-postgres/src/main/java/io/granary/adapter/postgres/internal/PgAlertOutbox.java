package io.granary.adapter.postgres.internal;

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
 * The alert outbox, shared by every instance. Due deliveries are leased in one statement under
 * {@code FOR UPDATE SKIP LOCKED}, so two instances polling at once take disjoint rows and never wait on each other;
 * finishing names the lease ({@code WHERE lease_owner = :claimant}), so an instance whose lease ran out cannot
 * overwrite what the next holder recorded. A delivery whose instance died is taken by another once its lease ends.
 */
public final class PgAlertOutbox implements AlertOutbox {

    private static final Logger LOG = LoggerFactory.getLogger(PgAlertOutbox.class);

    private final PgDatabase db;
    private final SecretSealer sealer;

    public PgAlertOutbox(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    /** Inside the caller's transaction: the alert and one delivery per subscribed webhook of its owner, due now. */
    static void enqueue(Handle h, Alert alert) {
        insertAlert(h, alert);
        List<UUID> subscribers = h.createQuery("SELECT webhook_id FROM webhook_events WHERE owner_id = :owner AND event = :event")
                .bind("owner", alert.ownerId()).bind("event", alert.event().name())
                .mapTo(UUID.class).list();
        for (UUID webhookId : subscribers) {
            insertDelivery(h, alert, webhookId, true);
        }
    }

    static void insertAlert(Handle h, Alert alert) {
        h.createUpdate("INSERT INTO alerts (id, owner_id, event, body, created_at) VALUES (:id, :owner, :event, :body, :at)")
                .bind("id", alert.id()).bind("owner", alert.ownerId())
                .bind("event", alert.event() == null ? null : alert.event().name())
                .bind("body", alert.body()).bind("at", Micros.of(alert.createdAt()))
                .execute();
    }

    static void insertDelivery(Handle h, Alert alert, UUID webhookId, boolean retries) {
        h.createUpdate("INSERT INTO webhook_deliveries (id, alert_id, webhook_id, retries, attempts, state, next_attempt_at)"
                        + " VALUES (:id, :alert, :webhook, :retries, 0, 'PENDING', :due)")
                .bind("id", UUID.randomUUID()).bind("alert", alert.id()).bind("webhook", webhookId)
                .bind("retries", retries ? 1 : 0).bind("due", Micros.of(alert.createdAt()))
                .execute();
    }

    private record Claimed(UUID id, UUID alertId, UUID webhookId, UUID ownerId, String url, String sealedSecret,
                           String body, int attempts, boolean retries) {
    }

    @Override
    public List<WebhookDelivery> claimDue(Instant now, String claimant, Instant leaseUntil, int limit) {
        List<Claimed> claimed = db.write(h -> h.createQuery("WITH due AS (SELECT id FROM webhook_deliveries"
                        + "  WHERE state = 'PENDING' AND next_attempt_at <= :now AND (lease_until IS NULL OR lease_until <= :now)"
                        + "  ORDER BY next_attempt_at LIMIT :limit FOR UPDATE SKIP LOCKED),"
                        + " taken AS (UPDATE webhook_deliveries d SET lease_owner = :claimant, lease_until = :until"
                        + "  FROM due WHERE d.id = due.id RETURNING d.id, d.alert_id, d.webhook_id, d.attempts, d.retries,"
                        + "  d.next_attempt_at)"
                        + " SELECT t.id, t.alert_id, t.webhook_id, w.owner_id, w.url, w.secret, a.body, t.attempts, t.retries"
                        + " FROM taken t JOIN webhooks w ON w.id = t.webhook_id JOIN alerts a ON a.id = t.alert_id"
                        + " ORDER BY t.next_attempt_at")
                .bind("now", Micros.of(now)).bind("limit", limit).bind("claimant", claimant).bind("until", Micros.of(leaseUntil))
                .map((rs, ctx) -> new Claimed(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getObject(3, UUID.class),
                        rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9) == 1))
                .list());
        // Opened after the transaction: no crypto while holding row locks.
        List<WebhookDelivery> deliveries = new ArrayList<>();
        for (Claimed c : claimed) {
            String secret;
            try {
                secret = sealer.open(c.sealedSecret(), SealingContext.webhookSecret(String.valueOf(c.webhookId())));
            } catch (SealException e) {
                LOG.warn("cannot open the secret of webhook {}; delivery {} waits for its lease to run out", c.webhookId(), c.id());
                continue;
            }
            deliveries.add(new WebhookDelivery(c.id(), c.alertId(), c.webhookId(), c.ownerId(), URI.create(c.url()), secret,
                    c.body(), c.attempts(), c.retries()));
        }
        return deliveries;
    }

    @Override
    public boolean markDelivered(UUID deliveryId, String claimant, Instant now) {
        return db.write(h -> h.createUpdate("UPDATE webhook_deliveries SET state = 'DELIVERED', attempts = attempts + 1,"
                        + " finished_at = :now, next_attempt_at = NULL, lease_owner = NULL, lease_until = NULL"
                        + " WHERE id = :id AND lease_owner = :claimant AND state = 'PENDING'")
                .bind("now", Micros.of(now)).bind("id", deliveryId).bind("claimant", claimant)
                .execute()) == 1;
    }

    @Override
    public boolean recordFailure(UUID deliveryId, String claimant, FailedCall call, Instant nextAttemptAt) {
        return db.write(h -> {
            int updated = h.createUpdate("UPDATE webhook_deliveries SET attempts = attempts + 1,"
                            + " state = CASE WHEN CAST(:next AS bigint) IS NULL THEN 'FAILED' ELSE 'PENDING' END,"
                            + " next_attempt_at = :next,"
                            + " finished_at = CASE WHEN CAST(:next AS bigint) IS NULL THEN CAST(:now AS bigint) END,"
                            + " lease_owner = NULL, lease_until = NULL"
                            + " WHERE id = :id AND lease_owner = :claimant AND state = 'PENDING'")
                    .bind("next", Micros.of(nextAttemptAt)).bind("now", Micros.of(call.createdAt()))
                    .bind("id", deliveryId).bind("claimant", claimant)
                    .execute();
            if (updated != 1) {
                return false;
            }
            h.createUpdate("INSERT INTO webhook_failed_calls (owner_id, webhook_id, created_at, url, status, response,"
                            + " request_body, connection_error) VALUES (:owner, :webhook, :at, :url, :status, :response,"
                            + " :body, :error)")
                    .bind("owner", call.ownerId()).bind("webhook", call.webhookId())
                    .bind("at", Micros.of(call.createdAt())).bind("url", call.url()).bind("status", call.status())
                    .bind("response", call.response()).bind("body", call.requestBody()).bind("error", call.connectionError())
                    .execute();
            return true;
        });
    }

    @Override
    public Optional<Instant> earliestDue() {
        return db.readOne(h -> h.createQuery("SELECT min(greatest(next_attempt_at, coalesce(lease_until, 0)))"
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
