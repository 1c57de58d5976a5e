package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.AlertEvent;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.WebhookDraft;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class WebhookDraftTest {

    private static Map<String, Object> body(String key, Object value) {
        Map<String, Object> body = new HashMap<>(Map.of("name", "ops", "url", "https://hooks.example.com/leaf",
                "secret", "a-long-secret", "events", List.of("credentialsUnauthenticated")));
        if (value == null) {
            body.remove(key);
        } else {
            body.put(key, value);
        }
        return body;
    }

    @Test
    void fromJson_validBody_parsesEverything() {
        WebhookDraft draft = WebhookDraft.fromJson(body("events", List.of("credentialsUnauthenticated",
                "credentialsLimitedPermission", "credentialsRecovered", "credentialsRecovered")));

        assertEquals(URI.create("https://hooks.example.com/leaf"), draft.url());
        assertEquals(Set.of(AlertEvent.CREDENTIALS_UNAUTHENTICATED, AlertEvent.CREDENTIALS_LIMITED_PERMISSION,
                AlertEvent.CREDENTIALS_RECOVERED), draft.events());
        assertFalse(draft.toString().contains("a-long-secret"));
    }

    /** Leaf's data events are accepted (never sent); every name Leaf documents parses to its own event. */
    @Test
    void fromJson_everyLeafEventName_parses() {
        List<String> names = java.util.Arrays.stream(AlertEvent.values()).map(AlertEvent::wireName).toList();
        WebhookDraft draft = WebhookDraft.fromJson(body("events", names));
        assertEquals(Set.of(AlertEvent.values()), draft.events());
        assertEquals(names.size(), Set.copyOf(names).size(), "wire names are unique");
        assertFalse(AlertEvent.FIELD_CREATED.emittedByGranary());
        assertTrue(AlertEvent.CREDENTIALS_UNAUTHENTICATED.emittedByGranary());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.com/x", "/relative/path", "hooks.example.com/x", "https://user:pw@hooks.example.com/x",
            "https://token@hooks.example.com/x", "http:///nohost", "mailto:ops@example.com", "https://exa mple.com/"})
    void fromJson_badUrl_isRefusedNamingUrlOnly(String url) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("url", url)));
        assertEquals("url", e.field());
        assertFalse(e.getMessage().contains(url), "the message must not echo the URL");
    }

    @Test
    void fromJson_overlongUrl_isRefused() {
        String url = "https://hooks.example.com/" + "a".repeat(WebhookDraft.MAX_URL);
        assertEquals("url", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("url", url))).field());
    }

    @Test
    void fromJson_secretTooShortOrLong_isRefusedWithoutEchoingIt() {
        for (String secret : List.of("short", "x".repeat(WebhookDraft.MAX_SECRET + 1))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("secret", secret)));
            assertEquals("secret", e.field());
            assertFalse(e.getMessage().contains(secret));
        }
    }

    @Test
    void fromJson_missingOrBadFields_nameTheField() {
        assertEquals("name", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("name", null))).field());
        assertEquals("name", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("name", "n".repeat(101)))).field());
        assertEquals("url", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("url", null))).field());
        assertEquals("secret", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("secret", null))).field());
        assertEquals("events", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("events", List.of()))).field());
        assertEquals("events", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("events", List.of("fieldExploded")))).field());
        assertEquals("events", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("events", "credentialsRecovered"))).field());
        assertEquals("extra", assertThrows(InvalidInputException.class, () -> WebhookDraft.fromJson(body("extra", "x"))).field());
    }
}
