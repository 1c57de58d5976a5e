package io.granary.adapter.postgres.internal;

import io.granary.core.crypto.SealingContext;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.domain.Alert;
import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.Webhook;
import io.granary.core.port.out.WebhookStore;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Webhook registrations with sealed secrets, and the failed calls owners read back. */
public final class PgWebhookStore implements WebhookStore {

    private static final String SELECT = "SELECT w.id, w.owner_id, w.name, w.url, w.created_at,"
            + " (SELECT string_agg(e.event, ',') FROM webhook_events e WHERE e.webhook_id = w.id) AS events FROM webhooks w";

    private final PgDatabase db;
    private final SecretSealer sealer;

    public PgWebhookStore(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @Override
    public void insert(Webhook webhook, String secret, Alert confirmation) {
        UUID id = webhook.id();
        String sealed = sealer.seal(secret, SealingContext.webhookSecret(String.valueOf(id)));
        db.write("an event is already registered by another webhook", h -> {
            h.createUpdate("INSERT INTO webhooks (id, owner_id, name, url, secret, created_at)"
                            + " VALUES (:id, :owner, :name, :url, :secret, :at)")
                    .bind("id", id).bind("owner", webhook.ownerId()).bind("name", webhook.name())
                    .bind("url", webhook.url().toString()).bind("secret", sealed).bind("at", Micros.of(webhook.createdAt()))
                    .execute();
            for (AlertEvent event : webhook.events()) {
                h.createUpdate("INSERT INTO webhook_events (owner_id, event, webhook_id) VALUES (:owner, :event, :id)")
                        .bind("owner", webhook.ownerId()).bind("event", event.name()).bind("id", id).execute();
            }
            PgAlertOutbox.insertAlert(h, confirmation);
            PgAlertOutbox.insertDelivery(h, confirmation, id, false);
            return null;
        });
    }

    @Override
    public Optional<Webhook> find(UUID ownerId, UUID id) {
        return db.readOne(h -> h.createQuery(SELECT + " WHERE w.id = :id AND w.owner_id = :owner")
                .bind("id", id).bind("owner", ownerId).map((rs, ctx) -> webhook(rs)).findOne());
    }

    @Override
    public List<Webhook> list(UUID ownerId) {
        return db.read(h -> h.createQuery(SELECT + " WHERE w.owner_id = :owner ORDER BY w.created_at, w.id")
                .bind("owner", ownerId).map((rs, ctx) -> webhook(rs)).list());
    }

    @Override
    public boolean delete(UUID ownerId, UUID id) {
        return db.write(h -> h.createUpdate("DELETE FROM webhooks WHERE id = :id AND owner_id = :owner")
                .bind("id", id).bind("owner", ownerId).execute()) == 1;
    }

    @Override
    public List<FailedCall> failedCalls(UUID ownerId, int limit) {
        return db.readOne(h -> h.createQuery("SELECT owner_id, webhook_id, created_at, url, status, response, request_body,"
                        + " connection_error FROM webhook_failed_calls WHERE owner_id = :owner"
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit")
                .bind("owner", ownerId).bind("limit", limit)
                .map((rs, ctx) -> new FailedCall(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        Micros.toInstant(rs.getLong(3)), rs.getString(4), (Integer) rs.getObject(5), rs.getString(6),
                        rs.getString(7), rs.getString(8)))
                .list());
    }

    private static Webhook webhook(ResultSet rs) throws SQLException {
        String events = rs.getString("events");
        Set<AlertEvent> set = EnumSet.noneOf(AlertEvent.class);
        if (events != null) {
            Arrays.stream(events.split(",")).map(AlertEvent::valueOf).forEach(set::add);
        }
        return new Webhook(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class), rs.getString("name"),
                URI.create(rs.getString("url")), set, Micros.toInstant(rs.getLong("created_at")));
    }
}
