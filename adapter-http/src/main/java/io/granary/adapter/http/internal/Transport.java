package io.granary.adapter.http.internal;

import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * How the listener talks to clients: optional TLS and the timeouts that keep slow or idle clients from holding
 * connections and worker threads. Public only so that the exported facade can reach it.
 *
 * @param tls         null for plain HTTP
 * @param readTimeout longest silence while reading a request (headers or body) before the connection is closed
 * @param bodyTimeout longest time a whole request body may take, however steadily it trickles in
 * @param idleTimeout how long a kept-alive connection may wait for its next request
 */
public record Transport(SSLContext tls, Duration readTimeout, Duration bodyTimeout, Duration idleTimeout) {

    /** Request headers beyond this total size are refused by Undertow's parser (Undertow's default is 1 MiB). */
    public static final int MAX_HEADER_BYTES = 16 * 1024;
    public static final int MAX_HEADERS = 64;
    public static final int MAX_QUERY_PARAMETERS = 32;
    /** Undertow's own entity ceiling, above the 64 KiB the routes accept: bounds what it drains after a 413. */
    public static final long MAX_ENTITY_BYTES = 1024L * 1024;

    public Transport {
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (readTimeout.isNegative() || readTimeout.isZero() || bodyTimeout.isNegative() || bodyTimeout.isZero()
                || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    public static Transport defaults() {
        return new Transport(null, Duration.ofSeconds(10), Json.DEFAULT_BODY_TIMEOUT, Duration.ofSeconds(60));
    }
}
