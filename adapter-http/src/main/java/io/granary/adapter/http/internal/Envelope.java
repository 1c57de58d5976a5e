package io.granary.adapter.http.internal;

import io.granary.adapter.http.RequestObserver;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.StorageUnavailableException;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.PathTemplateMatch;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What every request gets, whatever route it hits: a request id, the safety headers, one access-log line,
 * and every failure turned into an RFC 9457 problem answer.
 */
final class Envelope {

    static final AttachmentKey<String> REQUEST_ID = AttachmentKey.create(String.class);
    static final HttpString X_REQUEST_ID = new HttpString("X-Request-Id");
    /** The MDC key the logback pattern prints, so every line logged while serving a request names it. */
    static final String MDC_REQUEST_ID = "requestId";
    /** API answers are JSON; nothing they carry may load, run or frame anything. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    private static final HttpString X_CONTENT_TYPE_OPTIONS = new HttpString("X-Content-Type-Options");
    private static final HttpString CONTENT_SECURITY_POLICY_HEADER = new HttpString("Content-Security-Policy");
    private static final HttpString REFERRER_POLICY = new HttpString("Referrer-Policy");
    private static final HttpString X_FRAME_OPTIONS = new HttpString("X-Frame-Options");

    private static final Logger ACCESS = LoggerFactory.getLogger("io.granary.http.access");
    private static final Logger LOG = LoggerFactory.getLogger(Envelope.class);
    /** An incoming id is reused only if it cannot smuggle anything into headers or logs. */
    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final int MAX_DETAIL = 300;
    /** Problem types named by a core code end with that code, as Leaf's do (e.g. {@code ...eventRegisteredTwice}). */
    static final String PROBLEM_TYPE_PREFIX = "urn:granary:problem:";

    private Envelope() {
    }

    /** Outermost: runs on the IO thread and only sets headers and a completion listener. */
    static HttpHandler headersAndLog(HttpHandler next) {
        return headersAndLog(next, RequestObserver.NONE);
    }

    /** Also tells {@code observer} each request's route template, status and duration. */
    static HttpHandler headersAndLog(HttpHandler next, RequestObserver observer) {
        return exchange -> {
            long start = System.nanoTime();
            String incoming = exchange.getRequestHeaders().getFirst(X_REQUEST_ID);
            String requestId = incoming != null && SANE_ID.matcher(incoming).matches() ? incoming : newRequestId();
            exchange.putAttachment(REQUEST_ID, requestId);
            exchange.getResponseHeaders()
                    .put(X_REQUEST_ID, requestId)
                    .put(Headers.CACHE_CONTROL, "no-store")
                    .put(X_CONTENT_TYPE_OPTIONS, "nosniff")
                    .put(CONTENT_SECURITY_POLICY_HEADER, CONTENT_SECURITY_POLICY)
                    .put(REFERRER_POLICY, "no-referrer")
                    .put(X_FRAME_OPTIONS, "DENY");
            exchange.addExchangeCompleteListener((done, nextListener) -> {
                try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_REQUEST_ID, requestId)) {
                    PathTemplateMatch match = done.getAttachment(PathTemplateMatch.ATTACHMENT_KEY);
                    observer.requestFinished(done.getRequestMethod().toString(),
                            match == null ? "UNMATCHED" : match.getMatchedTemplate(), done.getStatusCode(), System.nanoTime() - start);
                    ACCESS.info("{} {} {} {}ms id={}", done.getRequestMethod(), printable(done.getRequestPath()),
                            done.getStatusCode(), (System.nanoTime() - start) / 1_000_000, requestId);
                } finally {
                    nextListener.proceed();
                }
            });
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_REQUEST_ID, requestId)) {
                next.handleRequest(exchange);
            }
        };
    }

    /** Innermost wrapper, on the worker thread: maps whatever the route threw to a problem answer. */
    static HttpHandler problems(Json json, HttpHandler next) {
        return exchange -> {
            // Worker threads are pooled: set the id for this request's lines and clear it after, never leak it on.
            try (MDC.MDCCloseable ignored = MDC.putCloseable(MDC_REQUEST_ID, exchange.getAttachment(REQUEST_ID))) {
                try {
                    next.handleRequest(exchange);
                } catch (Exception e) {
                    answer(json, exchange, e);
                }
            }
        };
    }

    static void answer(Json json, HttpServerExchange exchange, Throwable e) {
        if (exchange.isResponseStarted()) {
            LOG.warn("request {} failed after the answer started: {}", exchange.getAttachment(REQUEST_ID), where(e));
            exchange.endExchange();
            return;
        }
        if (e instanceof Problem p) {
            if (p.status() == 401) {
                exchange.getResponseHeaders().put(Headers.WWW_AUTHENTICATE, "Bearer realm=\"granary\"");
            }
            problem(json, exchange, p.status(), p.getMessage(), p.field());
        } else if (e instanceof TooManyAttempts t) {
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, Long.toString(t.retryAfterSeconds()));
            problem(json, exchange, 429, "too many failed logins; try again later", null);
        } else if (e instanceof InvalidInputException i) {
            // Core's validation messages are written for clients and name fields, never values.
            problem(json, exchange, 400, clip(i.getMessage()), i.field(), i.code());
        } else if (e instanceof NotFoundException n) {
            problem(json, exchange, 404, clip(n.getMessage()), null);
        } else if (e instanceof ConflictException c) {
            problem(json, exchange, 409, clip(c.getMessage()), null);
        } else if (e instanceof StorageUnavailableException s) {
            // Its message names the cause (locked, disk full: the SQLite code) and never data; the client gets none of it.
            LOG.warn("request {}: storage unavailable: {}", exchange.getAttachment(REQUEST_ID), printable(String.valueOf(s.getMessage())));
            exchange.getResponseHeaders().put(Headers.RETRY_AFTER, "5");
            problem(json, exchange, 503, "storage is unavailable; try again shortly", null);
        } else {
            // The message of an unknown exception may carry anything, secrets included: log only where it came from.
            LOG.error("request {} failed: {}", exchange.getAttachment(REQUEST_ID), where(e));
            problem(json, exchange, 500, "an unexpected error occurred", null);
        }
    }

    static void problem(Json json, HttpServerExchange exchange, int status, String detail, String field) {
        problem(json, exchange, status, detail, field, null);
    }

    /** @param code a stable problem name from core (e.g. {@code eventRegisteredTwice}), or null */
    static void problem(Json json, HttpServerExchange exchange, int status, String detail, String field, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        // Without a code the status says it all; `field` and `detail` say the rest.
        body.put("type", code == null ? "about:blank" : PROBLEM_TYPE_PREFIX + code);
        body.put("title", StatusCodes.getReason(status));
        body.put("status", status);
        body.put("detail", detail);
        if (field != null) {
            body.put("field", field);
        }
        body.put("requestId", exchange.getAttachment(REQUEST_ID));
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/problem+json");
        exchange.getResponseSender().send(ByteBuffer.wrap(json.write(body)));
    }

    /** The exception's class and the frame that threw it: enough to find the bug, no message, no trace. */
    private static String where(Throwable e) {
        StackTraceElement[] frames = e.getStackTrace();
        return e.getClass().getName() + (frames.length > 0 ? " at " + frames[0] : "");
    }

    private static String clip(String detail) {
        if (detail == null) {
            return null;
        }
        String clean = printable(detail);
        return clean.length() > MAX_DETAIL ? clean.substring(0, MAX_DETAIL) : clean;
    }

    /**
     * A random UUID for tying log lines to a request. It protects nothing, so it comes from ThreadLocalRandom:
     * {@link UUID#randomUUID()} draws from a SecureRandom shared by all threads.
     */
    private static String newRequestId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(high, low).toString();
    }

    /** A plain loop: it runs for every request's access-log line, where a stream pipeline showed in the profile. */
    private static boolean allPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        if (allPrintable(text)) {
            return text; // the usual case: nothing to replace, no copy
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> out.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return out.toString();
    }
}
