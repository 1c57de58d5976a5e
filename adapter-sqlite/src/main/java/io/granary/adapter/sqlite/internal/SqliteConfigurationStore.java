package io.granary.adapter.sqlite.internal;

import io.granary.core.port.out.ConfigurationStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/** Configuration values set explicitly, one row per field; defaults live in core, not here. */
public final class SqliteConfigurationStore implements ConfigurationStore {

    private final Database db;

    public SqliteConfigurationStore(Database db) {
        this.db = db;
    }

    @Override
    public Map<String, String> ownerValues(UUID ownerId) {
        return db.readOne(h -> values(h, "SELECT field, value FROM owner_configurations WHERE owner_id = :owner",
                ownerId, null));
    }

    @Override
    public void saveOwnerValues(UUID ownerId, Map<String, String> values) {
        if (values.isEmpty()) {
            return;
        }
        db.write(h -> {
            var batch = h.prepareBatch("INSERT INTO owner_configurations (owner_id, field, value) VALUES (:owner, :field, :value)"
                    + " ON CONFLICT (owner_id, field) DO UPDATE SET value = excluded.value");
            values.forEach((field, value) -> batch.bind("owner", ownerId.toString()).bind("field", field).bind("value", value).add());
            return batch.execute();
        });
    }

    @Override
    public Map<String, String> userValues(UUID ownerId, UUID userId) {
        return db.readOne(h -> values(h, "SELECT field, value FROM user_configurations"
                + " WHERE owner_id = :owner AND leaf_user_id = :user", ownerId, userId));
    }

    @Override
    public void saveUserValues(UUID ownerId, UUID userId, Map<String, String> values, Set<String> removed) {
        db.write(h -> {
            if (!values.isEmpty()) {
                var batch = h.prepareBatch("INSERT INTO user_configurations (owner_id, leaf_user_id, field, value)"
                        + " VALUES (:owner, :user, :field, :value)"
                        + " ON CONFLICT (leaf_user_id, field) DO UPDATE SET value = excluded.value");
                values.forEach((field, value) -> batch.bind("owner", ownerId.toString()).bind("user", userId.toString())
                        .bind("field", field).bind("value", value).add());
                batch.execute();
            }
            for (String field : removed) {
                h.createUpdate("DELETE FROM user_configurations WHERE owner_id = :owner AND leaf_user_id = :user AND field = :field")
                        .bind("owner", ownerId.toString()).bind("user", userId.toString()).bind("field", field).execute();
            }
            return null;
        });
    }

    @Override
    public boolean deleteUserValues(UUID ownerId, UUID userId) {
        return db.write(h -> h.createUpdate("DELETE FROM user_configurations WHERE owner_id = :owner AND leaf_user_id = :user")
                .bind("owner", ownerId.toString()).bind("user", userId.toString()).execute()) > 0;
    }

    private static Map<String, String> values(Handle h, String sql, UUID ownerId, UUID userId) {
        var query = h.createQuery(sql).bind("owner", ownerId.toString());
        if (userId != null) {
            query.bind("user", userId.toString());
        }
        Map<String, String> out = new LinkedHashMap<>();
        query.map((rs, ctx) -> out.put(rs.getString(1), rs.getString(2))).list();
        return out;
    }
}
