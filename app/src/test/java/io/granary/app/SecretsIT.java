package io.granary.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4, points 2 and 3: credentials for every installed provider, with random secrets in every field, must not
 * show up — raw or encoded — in the database files, the log, the recorded events, or API answers beyond what the
 * field's answer rule allows; and refreshes against a provider that echoes every request must record no secret.
 */
final class SecretsIT {

    private static final String USERS = "/services/usermanagement/api/users";
    private static final Pattern BASIC = Pattern.compile("(?i)basic\\s+([A-Za-z0-9+/=]{8,})");

    @TempDir
    Path dir;

    /** One provider's credential as attached: the body sent and, per field, its declared answer rule. */
    private record Attached(String suffix, Map<String, String> body, Map<String, String> answerRule, Map<String, Boolean> secret) {
    }

    @Test
    void everyProvider_secretsNeverReachDiskLogEventsOrAnswers() throws Exception {
        try (EchoProvider echo = new EchoProvider()) {
            Map<String, String> env = new HashMap<>(echo.settings());
            env.put("GRANARY_LOG_LEVEL", "DEBUG"); // the most a troubleshooting operator would switch on
            env.put("GRANARY_REFRESH_MARGIN", "1m");
            try (GranaryProcess granary = new GranaryProcess(dir.resolve("data"), env).start()) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                List<String> answers = new ArrayList<>();
                String userId = api.post(USERS, "{\"name\":\"Grower\",\"email\":\"grower@farm.example\"}").json().get("id").asText();

                List<Attached> attached = attachEveryProvider(api, userId, answers);
                assertEquals(EchoProvider.providerCount(), attached.size(), "a credential for every installed provider");
                assertEquals(12, attached.size(), "the issue names twelve providers");

                Set<String> secrets = new LinkedHashSet<>();
                Set<String> neverAnswered = new LinkedHashSet<>(); // MASKED and OMITTED values: not even in answers
                for (Attached a : attached) {
                    a.body.forEach((name, value) -> {
                        if (a.secret.get(name)) {
                            secrets.add(value);
                            if (!"CLEAR".equals(a.answerRule.get(name))) {
                                neverAnswered.add(value);
                            }
                        }
                    });
                }

                for (Attached a : attached) {
                    String path = USERS + "/" + userId + "/" + a.suffix;
                    ApiClient.Answer refreshed = api.post(path + "/refresh", null);
                    assertEquals(200, refreshed.status(), a.suffix + ": " + refreshed.body());
                    answers.add(refreshed.body());
                    ApiClient.Answer read = api.get(path);
                    assertEquals(200, read.status(), read.body());
                    answers.add(read.body());
                    assertAnswerFollowsRules(a, read.json(), secrets);
                }
                assertTrue(echo.requestCount() >= attached.size(), "every provider must have called the echo: " + echo.requestCount());
                // Tokens the echo handed out are stored secrets now; refresh tokens among them are MASKED.
                secrets.addAll(echo.issued());

                StringBuilder events = new StringBuilder();
                for (Attached a : attached) {
                    ApiClient.Answer page = api.get(USERS + "/" + userId + "/" + a.suffix + "/events?size=100");
                    assertEquals(200, page.status(), page.body());
                    assertTrue(page.json().size() > 0, a.suffix + " recorded no event");
                    events.append(page.body()).append('\n');
                }
                answers.add(events.toString());
                answers.add(api.get(USERS).body());

                Files.writeString(Path.of("target", "secrets-it-events.json"), events.toString()); // for a human reviewing a failure
                assertNoSecret("recorded events", events.toString(), secrets);
                for (String answer : answers) {
                    assertNoSecret("an API answer", answer, neverAnswered);
                }

                // While running: the WAL holds the recent writes.
                assertNoSecret("the database files (running)", databaseFiles(granary.dataDir()), secrets);
                int exit = granary.stop();
                assertTrue(exit == 0 || exit == 143, "stopped by SIGTERM, exit " + exit);
                assertNoSecret("the database files (stopped)", databaseFiles(granary.dataDir()), secrets);
                String log = granary.log();
                assertTrue(log.contains("DEBUG") || log.contains("INFO"), "the log was captured");
                assertNoSecret("the log", log, secrets);
            }
        }
    }

    @Test
    void revealSecrets_whenEnabled_answersStoredValuesExactly_butNeverPasswords() throws Exception {
        try (EchoProvider echo = new EchoProvider()) {
            Map<String, String> env = new HashMap<>(echo.settings());
            env.put("GRANARY_REVEAL_SECRETS", "true");
            try (GranaryProcess granary = new GranaryProcess(dir.resolve("data"), env).start()) {
                ApiClient api = new ApiClient(granary.baseUrl()).login(GranaryProcess.ADMIN_EMAIL, GranaryProcess.ADMIN_PASSWORD);
                String userId = api.post(USERS, "{\"name\":\"Grower\"}").json().get("id").asText();
                List<Attached> attached = attachEveryProvider(api, userId, new ArrayList<>());
                int masked = 0;
                for (Attached a : attached) {
                    JsonNode answer = api.get(USERS + "/" + userId + "/" + a.suffix).json();
                    for (Map.Entry<String, String> field : a.body.entrySet()) {
                        String rule = a.answerRule.get(field.getKey());
                        if ("OMITTED".equals(rule)) {
                            assertFalse(answer.has(field.getKey()), a.suffix + "." + field.getKey() + " must never be answered");
                        } else if ("MASKED".equals(rule) && !isRotatedByRefresh(field.getKey())) {
                            assertEquals(field.getValue(), answer.get(field.getKey()).asText(), a.suffix + "." + field.getKey());
                            masked++;
                        }
                    }
                }
                assertTrue(masked >= 12, "revealed " + masked + " masked fields");
                assertTrue(granary.log().contains("GRANARY_REVEAL_SECRETS is on"), "the operator is warned");
            }
        }
    }

    /** Reads GET /providers and attaches, for each, a body with a unique random value in every field a client may send. */
    private static List<Attached> attachEveryProvider(ApiClient api, String userId, List<String> answers) throws Exception {
        ApiClient.Answer providers = api.get("/services/usermanagement/api/providers");
        assertEquals(200, providers.status(), providers.body());
        List<Attached> attached = new ArrayList<>();
        for (JsonNode provider : providers.json()) {
            Map<String, String> body = new LinkedHashMap<>();
            Map<String, String> rules = new HashMap<>();
            Map<String, Boolean> secret = new HashMap<>();
            for (JsonNode field : provider.get("fields")) {
                String name = field.get("name").asText();
                if (field.get("generated").asBoolean()) {
                    continue;
                }
                body.put(name, name.equals("organizationName") ? EchoProvider.ORGANIZATION : EchoProvider.secret(name));
                rules.put(name, field.get("answer").asText());
                secret.put(name, field.get("secret").asBoolean());
            }
            StringBuilder json = new StringBuilder("{");
            body.forEach((k, v) -> json.append(json.length() > 1 ? "," : "").append('"').append(k).append("\":\"").append(v).append('"'));
            json.append('}');
            String suffix = provider.get("endpointSuffix").asText();
            ApiClient.Answer created = api.post(USERS + "/" + userId + "/" + suffix, json.toString());
            assertEquals(201, created.status(), suffix + ": " + created.body());
            answers.add(created.body());
            attached.add(new Attached(suffix, body, rules, secret));
        }
        return attached;
    }

    /** MASKED: "****" + last 4; CLEAR: as stored (a refresh may have replaced it); OMITTED: absent. */
    private static void assertAnswerFollowsRules(Attached a, JsonNode answer, Set<String> secrets) {
        for (Map.Entry<String, String> field : a.body.entrySet()) {
            String name = field.getKey();
            switch (a.answerRule.get(name)) {
                case "OMITTED" -> assertFalse(answer.has(name), a.suffix + "." + name + " must not be answered");
                case "MASKED" -> {
                    String shown = answer.get(name).asText();
                    assertTrue(shown.matches("\\*\\*\\*\\*.{4}"), a.suffix + "." + name + " shown as " + shown);
                    if (!isRotatedByRefresh(name)) {
                        assertEquals("****" + field.getValue().substring(field.getValue().length() - 4), shown, a.suffix + "." + name);
                    }
                }
                default -> assertTrue(answer.has(name), a.suffix + "." + name + " is answered in clear");
            }
        }
    }

    private static boolean isRotatedByRefresh(String field) {
        return field.equals("refreshToken");
    }

    private static String databaseFiles(Path dataDir) throws Exception {
        StringBuilder all = new StringBuilder();
        for (String name : List.of("granary.db", "granary.db-wal", "granary.db-shm")) {
            Path file = dataDir.resolve(name);
            if (Files.exists(file)) {
                all.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
            }
        }
        assertTrue(all.length() > 0, "no database file in " + dataDir);
        return all.toString();
    }

    /** The value itself and the encodings a careless log line or HTTP dump would give it. */
    static void assertNoSecret(String where, String text, Set<String> secrets) {
        for (String secret : secrets) {
            for (String form : List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8), secret.replace("/", "\\/"),
                    Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)))) {
                int at = text.indexOf(form);
                assertTrue(at < 0, where + " contains a secret (" + form + ") near: "
                        + (at < 0 ? "" : text.substring(Math.max(0, at - 120), Math.min(text.length(), at + form.length() + 40))));
            }
        }
        // HTTP Basic: the client id and secret, base64-encoded together.
        Matcher basic = BASIC.matcher(text);
        while (basic.find()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(basic.group(1)), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notBase64) {
                continue;
            }
            // RFC 6749 section 2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
            String formDecoded = URLDecoder.decode(decoded, StandardCharsets.UTF_8);
            for (String secret : secrets) {
                assertFalse(decoded.contains(secret) || formDecoded.contains(secret), where + " contains a secret inside HTTP Basic credentials: " + basic.group());
            }
        }
    }
}
