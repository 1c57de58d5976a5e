package io.granary.core.domain;

import java.util.List;

/** One page of items and the total number of items across all pages. */
public record Page<T>(List<T> items, long total) {
    public Page {
        items = List.copyOf(items);
    }
}
