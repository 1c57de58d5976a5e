package io.granary.core.service;

import io.granary.core.domain.CredentialEvent;
import io.granary.spi.ProviderHttp;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.ProviderUnreachableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns every provider call made with a credential into a redacted {@link CredentialEvent} and hands it to a sink
 * (the refresh that made the call, which stores it with its next write).
 */
final class RecordingProviderHttp implements ProviderHttp {

    static final int MAX_BODY_CHARS = 8192;

    private final ProviderHttp delegate;
    private final UUID credentialId;
    private final Consumer<CredentialEvent> events;
    private final Supplier<SecretRedactor> redactor;
    private final Clock clock;

    RecordingProviderHttp(ProviderHttp delegate, UUID credentialId, Consumer<CredentialEvent> events,
                          Supplier<SecretRedactor> redactor, Clock clock) {
        this.delegate = delegate;
        this.credentialId = credentialId;
        this.events = events;
        this.redactor = redactor;
        this.clock = clock;
    }

    @Override
    public ProviderResponse send(ProviderRequest request) {
        Instant start = clock.instant();
        // The query string can carry keys; the event keeps scheme, host and path only.
        String url = request.uri().getScheme() + "://" + request.uri().getAuthority() + request.uri().getPath();
        try {
            ProviderResponse response = delegate.send(request);
            SecretRedactor r = redactor.get();
            String headers = new TreeMap<>(response.headers()).entrySet().stream()
                    .map(e -> e.getKey() + ": " + r.redactHeader(e.getKey(), String.join(", ", e.getValue())))
                    .collect(Collectors.joining("\n"));
            record(start, request.method(), url, response.status(), headers, truncate(r.redact(response.body())));
            return response;
        } catch (ProviderUnreachableException e) {
            record(start, request.method(), url, 0, "", e.getMessage());
            throw e;
        }
    }

    private void record(Instant start, String method, String url, int status, String headers, String body) {
        Instant end = clock.instant();
        events.accept(new CredentialEvent(UUID.randomUUID(), credentialId, end, method, url, status, headers, body,
                Duration.between(start, end).toMillis()));
    }

    private static String truncate(String body) {
        return body.length() <= MAX_BODY_CHARS ? body : body.substring(0, MAX_BODY_CHARS) + "...[truncated]";
    }
}
