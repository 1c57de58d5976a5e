package io.granary.adapter.postgres.internal;

import io.granary.core.crypto.SealingContext;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.domain.AppKey;
import io.granary.core.port.out.AppKeyStore;
import io.granary.spi.Environment;
import io.granary.spi.Json;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.StatementContext;

/** App keys: the fields are one sealed JSON object, bound to the key's identity so a copied row fails to open. */
public final class PgAppKeyStore implements AppKeyStore {

    private static final String COLUMNS = "owner_id, provider_id, app_name, environment, sealed, scopes, created_at, updated_at";
    private static final String KEY = "owner_id = :owner AND provider_id = :provider AND app_name = :app AND environment = :env";

    private final PgDatabase db;
    private final SecretSealer sealer;

    public PgAppKeyStore(PgDatabase db, SecretSealer sealer) {
        this.db = db;
        this.sealer = sealer;
    }

    @Override
    public void insert(AppKey key) {
        db.write("this app key already exists", h -> h.createUpdate("INSERT INTO app_keys (" + COLUMNS
                        + ") VALUES (:owner, :provider, :app, :env, :sealed, :scopes, :created, :updated)")
                .bind("owner", key.ownerId()).bind("provider", key.providerId()).bind("app", key.appName())
                .bind("env", key.environment().name()).bind("sealed", seal(key))
                .bind("scopes", String.join(" ", key.scopes()))
                .bind("created", Micros.of(key.createdAt())).bind("updated", Micros.of(key.updatedAt()))
                .execute());
    }

    @Override
    public boolean replace(AppKey key) {
        return db.write(h -> h.createUpdate("UPDATE app_keys SET sealed = :sealed, scopes = :scopes, updated_at = :updated WHERE " + KEY)
                .bind("owner", key.ownerId()).bind("provider", key.providerId()).bind("app", key.appName())
                .bind("env", key.environment().name()).bind("sealed", seal(key))
                .bind("scopes", String.join(" ", key.scopes())).bind("updated", Micros.of(key.updatedAt()))
                .execute()) == 1;
    }

    @Override
    public Optional<AppKey> find(UUID ownerId, String providerId, String appName, Environment environment) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM app_keys WHERE " + KEY)
                .bind("owner", ownerId).bind("provider", providerId).bind("app", appName)
                .bind("env", environment.name()).map(this::map).findOne());
    }

    @Override
    public List<AppKey> list(UUID ownerId) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM app_keys WHERE owner_id = :owner ORDER BY created_at, seq")
                .bind("owner", ownerId).map(this::map).list());
    }

    @Override
    public boolean delete(UUID ownerId, String providerId, String appName, Environment environment) {
        return db.write(h -> h.createUpdate("DELETE FROM app_keys WHERE " + KEY)
                .bind("owner", ownerId).bind("provider", providerId).bind("app", appName)
                .bind("env", environment.name()).execute()) == 1;
    }

    private String seal(AppKey key) {
        return sealer.seal(Json.write(key.fields()),
                SealingContext.appKey(key.ownerId().toString(), key.providerId(), key.appName(), key.environment().name()));
    }

    private AppKey map(ResultSet rs, StatementContext ctx) throws SQLException {
        UUID owner = rs.getObject("owner_id", UUID.class);
        String provider = rs.getString("provider_id");
        String app = rs.getString("app_name");
        String env = rs.getString("environment");
        Object parsed = Json.parse(sealer.open(rs.getString("sealed"), SealingContext.appKey(owner.toString(), provider, app, env)));
        Map<String, String> fields = new LinkedHashMap<>();
        if (parsed instanceof Map<?, ?> map) {
            map.forEach((k, v) -> fields.put(String.valueOf(k), String.valueOf(v)));
        }
        String scopes = rs.getString("scopes");
        return new AppKey(owner, provider, app, Environment.valueOf(env), fields,
                scopes.isBlank() ? List.of() : Arrays.asList(scopes.split(" ")),
                Micros.toInstant(rs.getLong("created_at")), Micros.toInstant(rs.getLong("updated_at")));
    }
}
