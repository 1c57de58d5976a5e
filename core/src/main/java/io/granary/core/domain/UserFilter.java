package io.granary.core.domain;

import java.util.Objects;

/**
 * Exact-match filters for listing Leaf users (null means "any"), and their order.
 *
 * @param order Leaf's {@code sort} (https://docs.withleaf.io/api-reference/users: "Sorting order (e.g. name,asc)");
 *              ties, and the default, go oldest first so pages stay stable while users are added
 */
public record UserFilter(String email, String name, String externalId, Order order) {

    public static final UserFilter NONE = new UserFilter(null, null, null);

    /** What users can be sorted by. */
    public enum SortKey { CREATED, NAME, EMAIL, EXTERNAL_ID }

    public record Order(SortKey key, boolean ascending) {
        public static final Order OLDEST_FIRST = new Order(SortKey.CREATED, true);

        public Order {
            Objects.requireNonNull(key, "key");
        }
    }

    public UserFilter {
        order = order == null ? Order.OLDEST_FIRST : order;
    }

    public UserFilter(String email, String name, String externalId) {
        this(email, name, externalId, Order.OLDEST_FIRST);
    }
}
