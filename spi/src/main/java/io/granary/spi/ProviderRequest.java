package io.granary.spi;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** One outbound call to a provider. Build with {@link #get(String)} or {@link #post(String)}. */
public record ProviderRequest(String method, URI uri, Map<String, String> headers, String body) {

    public ProviderRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        headers = Map.copyOf(headers);
    }

    public static Builder get(String url) {
        return new Builder("GET", url);
    }

    public static Builder post(String url) {
        return new Builder("POST", url);
    }

    public static final class Builder {
        private final String method;
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;

        private Builder(String method, String url) {
            this.method = method;
            this.url = url;
            headers.put("Accept", "application/json");
        }

        public Builder header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** HTTP Basic client authentication ({@code client_secret_basic}, RFC 6749 section 2.3.1). */
        public Builder basicAuth(String user, String password) {
            String pair = formEncode(user) + ":" + formEncode(password);
            return header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        /** HTTP Basic with id and secret as issued, not form-encoded first (what many servers expect). */
        public Builder basicAuthAsIssued(String user, String password) {
            String pair = user + ":" + password;
            return header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        public Builder bearer(String accessToken) {
            return header("Authorization", "Bearer " + accessToken);
        }

        /** An {@code application/x-www-form-urlencoded} body; null values are left out. */
        public Builder form(Map<String, String> parameters) {
            header("Content-Type", "application/x-www-form-urlencoded");
            body = parameters.entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .map(e -> formEncode(e.getKey()) + "=" + formEncode(e.getValue()))
                    .collect(Collectors.joining("&"));
            return this;
        }

        /** A JSON body written from maps, lists, strings, numbers and booleans. */
        public Builder json(Object value) {
            header("Content-Type", "application/json");
            body = Json.write(value);
            return this;
        }

        public ProviderRequest build() {
            return new ProviderRequest(method, URI.create(url), headers, body);
        }

        private static String formEncode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }
}
