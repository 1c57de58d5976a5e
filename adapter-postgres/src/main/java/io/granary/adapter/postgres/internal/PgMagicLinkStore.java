package io.granary.adapter.postgres.internal;

import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.spi.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.StatementContext;

/** Magic links and pending consents. Nothing here is secret: the link's token is derived, states are hashed. */
public final class PgMagicLinkStore implements MagicLinkStore {

    private static final String COLUMNS = "id, owner_id, leaf_user_id, allowed_providers, settings, created_at,"
            + " expires_at, last_accessed_at, max_usage, usage_count";

    private final PgDatabase db;

    public PgMagicLinkStore(PgDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(MagicLink link) {
        MagicLink.Settings s = link.settings();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("backgroundColor", s.backgroundColor());
        settings.put("headerImage", s.headerImage());
        settings.put("companyLogo", s.companyLogo());
        settings.put("companyName", s.companyName());
        settings.put("showLeafUserName", s.showLeafUserName());
        settings.put("disconnectEnabled", s.disconnectEnabled());
        db.write(h -> h.createUpdate("INSERT INTO magic_links (" + COLUMNS + ") VALUES (:id, :owner, :user, :allowed,"
                        + " :settings, :created, :expires, NULL, :maxUsage, 0)")
                .bind("id", link.id()).bind("owner", link.ownerId()).bind("user", link.leafUserId())
                .bind("allowed", String.join(" ", link.allowedProviders())).bind("settings", Json.write(settings))
                .bind("created", Micros.of(link.createdAt())).bind("expires", Micros.of(link.expiresAt()))
                .bind("maxUsage", link.maxUsage())
                .execute());
    }

    @Override
    public Optional<MagicLink> find(UUID ownerId, UUID id) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM magic_links WHERE id = :id AND owner_id = :owner")
                .bind("id", id).bind("owner", ownerId).map(PgMagicLinkStore::map).findOne());
    }

    @Override
    public Optional<MagicLink> findById(UUID id) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM magic_links WHERE id = :id")
                .bind("id", id).map(PgMagicLinkStore::map).findOne());
    }

    @Override
    public List<MagicLink> list(UUID ownerId) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM magic_links WHERE owner_id = :owner"
                        + " ORDER BY created_at DESC, seq DESC")
                .bind("owner", ownerId).map(PgMagicLinkStore::map).list());
    }

    @Override
    public boolean delete(UUID ownerId, UUID id) {
        return db.write(h -> h.createUpdate("DELETE FROM magic_links WHERE id = :id AND owner_id = :owner")
                .bind("id", id).bind("owner", ownerId).execute()) == 1;
    }

    @Override
    public void recordAccess(UUID id, Instant at) {
        db.write(h -> h.createUpdate("UPDATE magic_links SET usage_count = usage_count + 1, last_accessed_at = :at WHERE id = :id")
                .bind("at", Micros.of(at)).bind("id", id).execute());
    }

    @Override
    public void savePending(PendingAuthorization pending, Instant now) {
        db.write(h -> {
            h.createUpdate("DELETE FROM pending_authorizations WHERE expires_at < :now").bind("now", Micros.of(now)).execute();
            return h.createUpdate("INSERT INTO pending_authorizations (state_hash, link_id, provider_id, browser_hash, expires_at)"
                            + " VALUES (:state, :link, :provider, :browser, :expires)")
                    .bind("state", pending.stateHash()).bind("link", pending.linkId())
                    .bind("provider", pending.providerId()).bind("browser", pending.browserHash())
                    .bind("expires", Micros.of(pending.expiresAt())).execute();
        });
    }

    /** DELETE ... RETURNING: of two callbacks with one state (on any instances), exactly one gets the row. */
    @Override
    public Optional<PendingAuthorization> takePending(String stateHash) {
        return db.write(h -> h.createQuery("DELETE FROM pending_authorizations WHERE state_hash = :state"
                        + " RETURNING state_hash, link_id, provider_id, browser_hash, expires_at")
                .bind("state", stateHash)
                .map((rs, ctx) -> new PendingAuthorization(rs.getString(1), rs.getObject(2, UUID.class),
                        rs.getString(3), rs.getString(4), Micros.toInstant(rs.getLong(5))))
                .findOne());
    }

    private static MagicLink map(ResultSet rs, StatementContext ctx) throws SQLException {
        Object parsed = Json.parse(rs.getString("settings"));
        Map<?, ?> s = parsed instanceof Map<?, ?> m ? m : Map.of();
        MagicLink.Settings settings = new MagicLink.Settings((String) s.get("backgroundColor"), (String) s.get("headerImage"),
                (String) s.get("companyLogo"), (String) s.get("companyName"),
                Boolean.TRUE.equals(s.get("showLeafUserName")), Boolean.TRUE.equals(s.get("disconnectEnabled")));
        Instant lastAccessed = Micros.toInstant(rs.getObject("last_accessed_at"));
        Integer max = (Integer) rs.getObject("max_usage");
        String allowed = rs.getString("allowed_providers");
        return new MagicLink(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class),
                rs.getObject("leaf_user_id", UUID.class), allowed.isBlank() ? List.of() : Arrays.asList(allowed.split(" ")),
                settings, Micros.toInstant(rs.getLong("created_at")), Micros.toInstant(rs.getLong("expires_at")),
                lastAccessed, max, rs.getInt("usage_count"));
    }
}
