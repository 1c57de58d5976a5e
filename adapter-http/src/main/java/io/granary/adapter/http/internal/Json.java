package io.granary.adapter.http.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/** Strict JSON in and out: UTF-8 only, size-capped, no duplicate members, bounded nesting. */
final class Json {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_NESTING = 16;
    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() { };

    /** Default time a client gets to send a whole body: a trickling client must not hold a worker thread. */
    static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(15);

    private final ObjectMapper mapper;
    private final Duration bodyTimeout;

    Json() {
        this(DEFAULT_BODY_TIMEOUT);
    }

    Json(Duration bodyTimeout) {
        this.bodyTimeout = bodyTimeout;
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxNumberLength(64)
                        .maxStringLength(MAX_BODY_BYTES)
                        .build())
                .build();
        mapper = new ObjectMapper(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * Reads the request body as one JSON object. Must run on a worker thread in blocking mode.
     *
     * @throws Problem 400, 413 or 415
     */
    Map<String, Object> readObject(HttpServerExchange exchange) {
        checkContentType(exchange);
        String text = decode(readCapped(exchange));
        if (text.isBlank()) {
            throw Problem.badRequest("a JSON object is required as the request body");
        }
        Map<String, Object> body;
        try {
            body = mapper.readValue(text, OBJECT);
        } catch (StreamConstraintsException e) {
            throw Problem.badRequest("the request body is nested too deeply or has an oversized value");
        } catch (MismatchedInputException e) {
            throw Problem.badRequest("the request body must be a JSON object");
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input, which may hold secrets: never pass it on.
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field")) {
                throw Problem.badRequest("the request body has a duplicate member");
            }
            throw Problem.badRequest("the request body is not valid JSON");
        }
        if (body == null) {
            throw Problem.badRequest("the request body must be a JSON object");
        }
        return body;
    }

    byte[] write(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize an answer", e);
        }
    }

    void send(HttpServerExchange exchange, int status, Object value) {
        send(exchange, status, write(value));
    }

    /** Sends JSON already written by {@link #write}. */
    static void send(HttpServerExchange exchange, int status, byte[] json) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(ByteBuffer.wrap(json));
    }

    private static void checkContentType(HttpServerExchange exchange) {
        String contentType = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
        if (contentType == null) {
            return; // lenient: clients that send JSON without saying so still work
        }
        String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
            throw new Problem(415, "the request body must be application/json", null);
        }
    }

    private byte[] readCapped(HttpServerExchange exchange) {
        // Content-Length lets us refuse early; the counting below catches chunked bodies and liars.
        if (exchange.getRequestContentLength() > MAX_BODY_BYTES) {
            throw tooLarge();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        // The socket read timeout catches a client that stops sending; this deadline catches one that trickles.
        long deadline = System.nanoTime() + bodyTimeout.toNanos();
        try {
            InputStream in = exchange.getInputStream();
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > MAX_BODY_BYTES) {
                    throw tooLarge();
                }
                out.write(buffer, 0, n);
                if (System.nanoTime() - deadline > 0) {
                    throw tooSlow(exchange);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Problem p) {
                throw p;
            }
            // A read timeout or a dropped connection (Undertow 2.3 surfaces a timed-out blocking read as a
            // NullPointerException once it has closed the channel): nothing was stored, and the client may not hear this.
            throw tooSlow(exchange);
        }
        return out.toByteArray();
    }

    private Problem tooSlow(HttpServerExchange exchange) {
        // The rest of the body may still be on its way: close rather than drain it.
        exchange.setPersistent(false);
        exchange.getResponseHeaders().put(Headers.CONNECTION, "close");
        return new Problem(408, "the request body did not arrive within " + bodyTimeout.toMillis() + " ms", null);
    }

    private static Problem tooLarge() {
        return new Problem(413, "the request body is larger than " + MAX_BODY_BYTES + " bytes", null);
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Problem.badRequest("the request body is not valid UTF-8");
        }
    }
}
