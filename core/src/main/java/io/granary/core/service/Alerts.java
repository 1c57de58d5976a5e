package io.granary.core.service;

import io.granary.core.domain.Alert;
import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.spi.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Which status changes raise which alert, and what the alert says. */
public final class Alerts {

    static final String CONFIRMATION_MESSAGE = "confirmation of webhook upon registration";
    private static final int MAX_MESSAGE = 500;
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Alerts() {
    }

    /**
     * The event a refresh's status change raises, if any. Recovery is announced only from INVALID or
     * MISSING_PERMISSION, the states that raised an alert: TEMPORARILY_UNAVAILABLE raises none going in, so a
     * "recovered" coming out of it would announce the end of something the receiver never heard of.
     */
    public static Optional<AlertEvent> eventFor(CredentialStatus previous, CredentialStatus next) {
        if (previous == next) {
            return Optional.empty();
        }
        return switch (next) {
            case INVALID -> Optional.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED);
            case MISSING_PERMISSION -> Optional.of(AlertEvent.CREDENTIALS_LIMITED_PERMISSION);
            case VALID -> previous == CredentialStatus.INVALID || previous == CredentialStatus.MISSING_PERMISSION
                    ? Optional.of(AlertEvent.CREDENTIALS_RECOVERED) : Optional.empty();
            case PROCESSING, TEMPORARILY_UNAVAILABLE -> Optional.empty();
        };
    }

    /** The alert for {@code credential} (as claimed, before the change) moving to {@code next}, if it raises one. */
    public static Optional<Alert> forChange(Credential credential, CredentialStatus next, String statusMessage, Instant at) {
        return eventFor(credential.status(), next).map(event -> new Alert(UUID.randomUUID(), credential.ownerId(), event,
                payload(credential, event, next, statusMessage, at), at));
    }

    /**
     * Leaf's payload plus {@code leafUserId}. {@code credential} is {@code <providerId>Credentials} (for example
     * {@code JohnDeereCredentials}), the name under which Leaf nests a provider's credentials in a user. Secret-free:
     * ids, names, the status and its message, which the credential API shows the owner anyway.
     */
    static String payload(Credential credential, AlertEvent event, CredentialStatus status, String statusMessage, Instant at) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("credential", credential.providerId() + "Credentials");
        body.put("provider", credential.providerId());
        body.put("credentialId", credential.id().toString());
        body.put("message", message(event, statusMessage));
        body.put("status", status.name());
        body.put("type", event.wireName());
        body.put("timestamp", MICROS.format(at));
        body.put("leafUserId", credential.leafUserId().toString());
        return Json.write(body);
    }

    static Alert confirmation(UUID ownerId, Instant at) {
        return new Alert(UUID.randomUUID(), ownerId, null, Json.write(Map.of("message", CONFIRMATION_MESSAGE)), at);
    }

    private static String message(AlertEvent event, String statusMessage) {
        String base = switch (event) {
            case CREDENTIALS_UNAUTHENTICATED -> "The credential is no longer valid";
            case CREDENTIALS_LIMITED_PERMISSION -> "The credential lacks permissions";
            case CREDENTIALS_RECOVERED -> "The credential is valid again";
            // Leaf's data events: accepted for registration, never emitted (forChange yields only the three above).
            default -> throw new IllegalArgumentException(event.wireName() + " is never sent by Granary");
        };
        if (statusMessage == null || statusMessage.isBlank() || event == AlertEvent.CREDENTIALS_RECOVERED) {
            return base;
        }
        String full = base + ": " + statusMessage;
        return full.length() > MAX_MESSAGE ? full.substring(0, MAX_MESSAGE) : full;
    }
}
