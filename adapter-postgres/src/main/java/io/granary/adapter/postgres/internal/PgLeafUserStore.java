package io.granary.adapter.postgres.internal;

import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.port.out.LeafUserStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.StatementContext;

/** Leaf users, always looked up with their owner: another owner's user is simply not found. */
public final class PgLeafUserStore implements LeafUserStore {

    private static final String COLUMNS = "id, owner_id, name, email, phone, address, external_id, created_at, updated_at";

    private final PgDatabase db;

    public PgLeafUserStore(PgDatabase db) {
        this.db = db;
    }

    @Override
    public void insert(LeafUser user) {
        db.write("a Leaf user with this id already exists", h -> h.createUpdate("INSERT INTO leaf_users (" + COLUMNS
                        + ") VALUES (:id, :ownerId, :name, :email, :phone, :address, :externalId, :createdAt, :updatedAt)")
                .bind("id", user.id()).bind("ownerId", user.ownerId()).bind("name", user.name())
                .bind("email", user.email()).bind("phone", user.phone()).bind("address", user.address())
                .bind("externalId", user.externalId()).bind("createdAt", Micros.of(user.createdAt()))
                .bind("updatedAt", Micros.of(user.updatedAt()))
                .execute());
    }

    @Override
    public Optional<LeafUser> find(UUID ownerId, UUID id) {
        return db.readOne(h -> h.createQuery("SELECT " + COLUMNS + " FROM leaf_users WHERE id = :id AND owner_id = :ownerId")
                .bind("id", id).bind("ownerId", ownerId).map(PgLeafUserStore::map).findOne());
    }

    /**
     * In the filter's order, ties oldest first; {@code page.ascending()} is not read, as the port asks: pages stay
     * stable while users are added.
     */
    @Override
    public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
        StringBuilder where = new StringBuilder(" WHERE owner_id = :ownerId");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("ownerId", ownerId);
        UserFilter f = filter == null ? UserFilter.NONE : filter;
        addFilter(where, args, "email", f.email());
        addFilter(where, args, "name", f.name());
        addFilter(where, args, "external_id", f.externalId());
        return db.read(h -> {
            List<LeafUser> items = h.createQuery("SELECT " + COLUMNS + " FROM leaf_users" + where
                            + " ORDER BY " + orderBy(f.order()) + "created_at, seq LIMIT :limit OFFSET :offset")
                    .bindMap(args).bind("limit", page.size()).bind("offset", page.offset())
                    .map(PgLeafUserStore::map).list();
            long total = h.createQuery("SELECT count(*) FROM leaf_users" + where).bindMap(args).mapTo(Long.class).one();
            return new Page<>(items, total);
        });
    }

    /**
     * The ORDER BY terms before the tie-breakers, sorting as SQLite does: by bytes (collation "C", not the database's
     * locale) and nulls as the smallest value. The columns come from an enum, never from the request.
     */
    private static String orderBy(UserFilter.Order order) {
        String direction = order.ascending() ? " ASC NULLS FIRST, " : " DESC NULLS LAST, ";
        return switch (order.key()) {
            case CREATED -> order.ascending() ? "" : "created_at DESC, seq DESC, ";
            case NAME -> "name COLLATE \"C\"" + direction;
            case EMAIL -> "email COLLATE \"C\"" + direction;
            case EXTERNAL_ID -> "external_id COLLATE \"C\"" + direction;
        };
    }

    private static void addFilter(StringBuilder where, Map<String, Object> args, String column, String value) {
        if (value != null) {
            where.append(" AND ").append(column).append(" = :").append(column);
            args.put(column, value);
        }
    }

    @Override
    public boolean update(LeafUser user) {
        return db.write(h -> h.createUpdate("UPDATE leaf_users SET name = :name, email = :email, phone = :phone,"
                        + " address = :address, external_id = :externalId, updated_at = :updatedAt"
                        + " WHERE id = :id AND owner_id = :ownerId")
                .bind("name", user.name()).bind("email", user.email()).bind("phone", user.phone())
                .bind("address", user.address()).bind("externalId", user.externalId())
                .bind("updatedAt", Micros.of(user.updatedAt())).bind("id", user.id()).bind("ownerId", user.ownerId())
                .execute()) == 1;
    }

    /** Credentials, their fields and their events go with the user through ON DELETE CASCADE, in one transaction. */
    @Override
    public boolean delete(UUID ownerId, UUID id) {
        return db.write(h -> h.createUpdate("DELETE FROM leaf_users WHERE id = :id AND owner_id = :ownerId")
                .bind("id", id).bind("ownerId", ownerId).execute()) == 1;
    }

    private static LeafUser map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new LeafUser(rs.getObject("id", UUID.class), rs.getObject("owner_id", UUID.class),
                rs.getString("name"), rs.getString("email"), rs.getString("phone"), rs.getString("address"),
                rs.getString("external_id"), Micros.toInstant(rs.getLong("created_at")),
                Micros.toInstant(rs.getLong("updated_at")));
    }
}
