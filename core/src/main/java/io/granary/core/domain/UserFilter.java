package io.granary.core.domain;

/** Exact-match filters for listing Leaf users; null means "any". */
public record UserFilter(String email, String name, String externalId) {
    public static final UserFilter NONE = new UserFilter(null, null, null);
}
