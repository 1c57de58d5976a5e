package io.granary.adapter.postgres.internal;

import io.granary.core.port.out.ConfigurationStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.statement.Query;

/** Configuration values set explicitly, one row per field; defaults live in core, not here. */
public final class PgConfigurationStore implements ConfigurationStore {

    private final PgDatabase db;

    public PgConfigurationStore(PgDatabase db) {
        this.db = db;
    }

    @Override
    public Map<String, String> ownerValues(UUID ownerId) {
        return db.readOne(h -> values(h.createQuery("SELECT field, value FROM owner_configurations WHERE owner_id = :owner")
                .bind("owner", ownerId)));
    }

    @Override
    public void saveOwnerValues(UUID ownerId, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        db.write(h -> {
            var batch = h.prepareBatch("INSERT INTO owner_configurations (owner_id, field, value) VALUES (:owner, :field, :value)"
                    + " ON CONFLICT (owner_id, field) DO UPDATE SET value = excluded.value");
            values.forEach((field, value) -> batch.bind("owner", ownerId).bind("field", field).bind("value", value).add());
            return batch.execute();
        });
    }

    @Override
    public Map<String, String> userValues(UUID ownerId, UUID userId) {
        return db.readOne(h -> values(h.createQuery("SELECT field, value FROM user_configurations"
                + " WHERE owner_id = :owner AND leaf_user_id = :user").bind("owner", ownerId).bind("user", userId)));
    }

    @Override
    public void saveUserValues(UUID ownerId, UUID userId, Map<String, String> values, Set<String> removed) {
        db.write(h -> {
            if (!values.isEmpty()) {
                var batch = h.prepareBatch("INSERT INTO user_configurations (owner_id, leaf_user_id, field, value)"
                        + " VALUES (:owner, :user, :field, :value)"
                        + " ON CONFLICT (leaf_user_id, field) DO UPDATE SET value = excluded.value");
                values.forEach((field, value) -> batch.bind("owner", ownerId).bind("user", userId)
                        .bind("field", field).bind("value", value).add());
                batch.execute();
            }
            for (String field : removed) {
                h.createUpdate("DELETE FROM user_configurations WHERE owner_id = :owner AND leaf_user_id = :user AND field = :field")
                        .bind("owner", ownerId).bind("user", userId).bind("field", field).execute();
            }
            return null;
        });
    }

    @Override
    public boolean deleteUserValues(UUID ownerId, UUID userId) {
        return db.write(h -> h.createUpdate("DELETE FROM user_configurations WHERE owner_id = :owner AND leaf_user_id = :user")
                .bind("owner", ownerId).bind("user", userId).execute()) > 0;
    }

    private static Map<String, String> values(Query query) {
        Map<String, String> out = new LinkedHashMap<>();
        query.map((rs, ctx) -> out.put(rs.getString(1), rs.getString(2))).list();
        return out;
    }
}
