package io.granary.adapter.postgres.internal;

import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.SeenOrganization;
import io.granary.core.port.out.ProviderOrganizationStore;
import io.granary.spi.ProviderOrganization;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.statement.PreparedBatch;

/** What each credential's grant saw at the provider, replaced wholesale by every refresh that reports it. */
public final class PgProviderOrganizationStore implements ProviderOrganizationStore {

    private final PgDatabase db;

    public PgProviderOrganizationStore(PgDatabase db) {
        this.db = db;
    }

    /**
     * One transaction: the choices of organizations still seen are read, the rows replaced, the choices written back.
     * The credential row is key-share locked first: a refresh racing a delete either finds it gone and stores nothing,
     * or holds the delete back until it commits (its rows then go with the credential), never failing on the key.
     */
    @Override
    public void saveSeen(UUID credentialId, List<ProviderOrganization> seen, Instant seenAt) {
        db.write(h -> {
            boolean exists = h.createQuery("SELECT 1 FROM credentials WHERE id = :id FOR KEY SHARE")
                    .bind("id", credentialId).mapTo(Integer.class).findOne().isPresent();
            if (!exists) {
                return null;
            }
            Map<String, String> chosen = new HashMap<>();
            h.createQuery("SELECT org_id, chosen FROM provider_organizations WHERE credential_id = :id AND chosen IS NOT NULL")
                    .bind("id", credentialId).map((rs, ctx) -> chosen.put(rs.getString(1), rs.getString(2))).list();
            h.createUpdate("DELETE FROM provider_organizations WHERE credential_id = :id").bind("id", credentialId).execute();
            if (seen.isEmpty()) {
                return null;
            }
            PreparedBatch batch = h.prepareBatch("INSERT INTO provider_organizations (credential_id, org_id, position, name,"
                    + " connected, management_uri, chosen, seen_at) VALUES (:id, :org, :position, :name, :connected, :uri,"
                    + " :chosen, :seenAt)"
                    // A provider listing one organization twice (pages overlapping while it changed): keep the first.
                    + " ON CONFLICT (credential_id, org_id) DO NOTHING");
            for (int i = 0; i < seen.size(); i++) {
                ProviderOrganization o = seen.get(i);
                batch.bind("id", credentialId).bind("org", o.id()).bind("position", i).bind("name", o.name())
                        .bind("connected", o.connected()).bind("uri", o.managementUri())
                        .bind("chosen", chosen.get(o.id())).bind("seenAt", Micros.of(seenAt)).add();
            }
            batch.execute();
            return null;
        });
    }

    @Override
    public List<SeenOrganization> list(UUID credentialId) {
        return db.readOne(h -> h.createQuery("SELECT org_id, name, connected, management_uri, chosen, seen_at"
                        + " FROM provider_organizations WHERE credential_id = :id ORDER BY position")
                .bind("id", credentialId)
                .map((rs, ctx) -> new SeenOrganization(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4),
                        rs.getString(5) == null ? null : OrganizationStatus.valueOf(rs.getString(5)),
                        Micros.toInstant(rs.getLong(6))))
                .list());
    }

    @Override
    public boolean choose(UUID credentialId, String organizationId, OrganizationStatus chosen) {
        if (chosen == OrganizationStatus.BLOCKED) {
            throw new IllegalArgumentException("BLOCKED follows from the connection; it is never chosen");
        }
        return db.write(h -> h.createUpdate("UPDATE provider_organizations SET chosen = :chosen"
                        + " WHERE credential_id = :id AND org_id = :org")
                .bind("chosen", chosen.name()).bind("id", credentialId).bind("org", organizationId)
                .execute()) == 1;
    }
}
