package io.granary.adapter.http.internal;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.ProviderDescriptor;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How credentials, their events and providers look on the wire. */
final class CredentialJson {

    /** Leaf's credential timestamps: UTC, always six fraction digits. */
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    static final String MASK = "****";
    /** Below this length even four characters would give away too much of a secret. */
    static final int SHOW_TAIL_FROM = 12;

    private final boolean revealSecrets;

    CredentialJson(boolean revealSecrets) {
        this.revealSecrets = revealSecrets;
    }

    /**
     * An INVALID credential answers its token fields (access token, session) and their expiry as null: the provider
     * has refused the grant, so a client that uses whatever token it is given must not be handed one that looks
     * usable for another hour. The keys stay, so clients that bind Leaf's schema keep parsing; {@code status} and
     * {@code statusMessage} say why.
     */
    Map<String, Object> credential(ProviderDescriptor provider, Credential credential) {
        boolean refused = credential.status() == CredentialStatus.INVALID;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", credential.id().toString());
        out.put("status", credential.status().name());
        out.put("createdTime", time(credential.createdAt()));
        out.put("clientEnvironment", credential.environment() == null ? null : credential.environment().name());
        out.put("leafUserId", credential.leafUserId().toString());
        for (CredentialField field : provider.fields()) {
            if (field.answer() == CredentialField.Answer.OMITTED) {
                continue; // passwords: not even with revealSecrets
            }
            String value = refused && field.answer() == CredentialField.Answer.CLEAR && field.secret() ? null : credential.field(field.name());
            boolean masked = field.answer() == CredentialField.Answer.MASKED && !revealSecrets;
            out.put(field.name(), masked ? mask(value) : value);
        }
        if (provider.authType() == AuthType.OAUTH2 || provider.authType() == AuthType.API_KEY_AND_OAUTH2) {
            out.put("tokenMetadata", Map.of("scopes", credential.scopes()));
        }
        out.put("statusMessage", credential.statusMessage());
        out.put("accessTokenExpiresAt", refused ? null : time(credential.accessExpiresAt()));
        return out;
    }

    static String mask(String value) {
        if (value == null) {
            return null;
        }
        return value.length() >= SHOW_TAIL_FROM ? MASK + value.substring(value.length() - 4) : MASK;
    }

    static Map<String, Object> event(CredentialEvent event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", event.id().toString());
        out.put("createdDate", time(event.createdAt()));
        out.put("statusCode", event.statusCode());
        out.put("headers", event.headers());
        out.put("body", event.body());
        out.put("method", event.method());
        out.put("url", event.url());
        out.put("durationMillis", event.durationMillis());
        return out;
    }

    /** @param origin {@code built-in} or the file name of the plugin jar the provider came from */
    static Map<String, Object> provider(ProviderDescriptor provider, String origin) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", provider.id());
        out.put("displayName", provider.displayName());
        out.put("endpointSuffix", provider.endpointSuffix());
        out.put("authType", provider.authType().name());
        out.put("environments", provider.environments().stream().sorted().map(Enum::name).toList());
        out.put("defaultEnvironment", provider.defaultEnvironment().name());
        out.put("fields", provider.fields().stream().map(field -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("name", field.name());
            f.put("required", field.required());
            f.put("secret", field.secret());
            f.put("generated", field.generatedByGranary());
            f.put("answer", field.answer().name());
            f.put("maxLength", field.maxLength());
            return f;
        }).toList());
        out.put("origin", origin);
        return out;
    }

    static String time(Instant instant) {
        return instant == null ? null : MICROS.format(instant);
    }
}
