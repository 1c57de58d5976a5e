package io.granary.adapter.postgres.internal;

import io.granary.core.domain.ApiOwner;
import io.granary.core.port.out.ApiOwnerStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * API owners. Email uniqueness is the database's (unique index on lower(email)). Never cached: an owner disabled on
 * one instance is refused by every instance at its next request.
 */
public final class PgApiOwnerStore implements ApiOwnerStore {

    private static final String COLUMNS = "id, email, password_hash, disabled, created_at";

    private final PgDatabase db;

    public PgApiOwnerStore(PgDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(ApiOwner owner) {
        db.write("an API owner with this email already exists", h -> h.createUpdate(
                        "INSERT INTO api_owners (" + COLUMNS + ") VALUES (:id, :email, :hash, :disabled, :createdAt)")
                .bind("id", owner.id()).bind("email", owner.email()).bind("hash", owner.passwordHash())
                .bind("disabled", owner.disabled()).bind("createdAt", Micros.of(owner.createdAt()))
                .execute());
    }

    @Override
    public Optional<ApiOwner> findById(UUID id) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_owners WHERE id = :id")
                .bind("id", id).map(PgApiOwnerStore::map).findOne());
    }

    @Override
    public Optional<ApiOwner> findByEmail(String email) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_owners WHERE lower(email) = lower(:email)")
                .bind("email", email).map(PgApiOwnerStore::map).findOne());
    }

    @Override
    public List<ApiOwner> list() {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_owners ORDER BY created_at, seq")
                .map(PgApiOwnerStore::map).list());
    }

    @Override
    public boolean setDisabled(UUID id, boolean disabled) {
        return db.write(h -> h.createUpdate("UPDATE api_owners SET disabled = :disabled WHERE id = :id")
                .bind("disabled", disabled).bind("id", id).execute()) == 1;
    }

    @Override
    public long count() {
        return db.readOne(h -> h.createQuery("SELECT count(*) FROM api_owners").mapTo(Long.class).one());
    }

    private static ApiOwner map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new ApiOwner(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("password_hash"),
                rs.getBoolean("disabled"), Micros.toInstant(rs.getLong("created_at")));
    }
}
