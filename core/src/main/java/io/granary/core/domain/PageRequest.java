package io.granary.core.domain;

/** A page of a list, Leaf style: {@code page} from 0, {@code size} 1..100, newest first unless ascending. */
public record PageRequest(int page, int size, boolean ascending) {

    public static final int MAX_SIZE = 100;
    public static final int DEFAULT_SIZE = 20;

    public PageRequest {
        if (page < 0) {
            throw new IllegalArgumentException("page must be 0 or more");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + MAX_SIZE);
        }
    }

    public long offset() {
        return (long) page * size;
    }
}
