package io.granary.adapter.http.internal;

/**
 * An error answer decided by the adapter itself. Its detail is written here, for clients, so it is safe to show.
 */
final class Problem extends RuntimeException {
    private final int status;
    private final String field;

    Problem(int status, String detail, String field) {
        super(detail, null, false, false); // no stack trace: this is flow control, not a fault
        this.status = status;
        this.field = field;
    }

    static Problem badRequest(String detail) {
        return new Problem(400, detail, null);
    }

    static Problem badField(String field, String detail) {
        return new Problem(400, detail, field);
    }

    static Problem unauthorized(String detail) {
        return new Problem(401, detail, null);
    }

    static Problem notFound(String detail) {
        return new Problem(404, detail, null);
    }

    int status() {
        return status;
    }

    String field() {
        return field;
    }
}
