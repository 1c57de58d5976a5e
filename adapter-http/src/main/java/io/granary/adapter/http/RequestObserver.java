package io.granary.adapter.http;

/** Told about every finished request, for metrics. Runs on an IO thread: must be quick and must not throw. */
@FunctionalInterface
public interface RequestObserver {

    RequestObserver NONE = (method, route, status, nanos) -> { };

    /**
     * @param route the matched path template (e.g. {@code /services/usermanagement/api/users/{id}}), or
     *              {@code UNMATCHED}: never the raw path, so ids cannot blow up metric cardinality
     */
    void requestFinished(String method, String route, int status, long nanos);

    /** The request was answered from memory (see {@link HttpApi.Builder#answerCache}); it is also counted above. */
    default void answeredFromMemory() {
    }
}
