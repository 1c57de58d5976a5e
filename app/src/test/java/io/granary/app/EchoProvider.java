package io.granary.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderEndpoint;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A hostile stand-in for every provider: it answers each call with a plausible success (fresh tokens in every
 * shape the providers read) that also ECHOES the whole request — headers and body, as JSON, as text and as response
 * headers — so anything Granary sends a provider would land in the recorded events unless it is redacted.
 * Every token it hands out is kept in {@link #issued()}: those are secrets too.
 */
final class EchoProvider implements AutoCloseable {

    static final String ORGANIZATION = "Echo Farms";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final MockWebServer server = new MockWebServer();
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    EchoProvider() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    return echo(request);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        server.start(java.net.InetAddress.getByName("127.0.0.1"), 0);
    }

    /** Points every endpoint of every installed provider here, as GRANARY_PROVIDER_* settings. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (ProviderAdapter adapter : ServiceLoader.load(ProviderAdapter.class)) {
            ProviderDescriptor d = adapter.descriptor();
            for (ProviderEndpoint e : d.endpoints()) {
                settings.put(d.endpointSetting(e.kind(), e.environment()),
                        "http://127.0.0.1:" + server.getPort() + "/" + d.configKey().toLowerCase() + "/" + e.kind().name().toLowerCase());
            }
        }
        return settings;
    }

    /** Providers loaded on the default settings: opt-in ones (the Sandbox) stay off. */
    static int providerCount() {
        return (int) ServiceLoader.load(ProviderAdapter.class).stream().filter(p -> p.get().enablingSetting() == null).count();
    }

    Set<String> issued() {
        return issued;
    }

    int requestCount() {
        return requests.size();
    }

    /** A random secret with the characters that URL- and JSON-encoding change, so encoded leaks are caught too. */
    static String secret(String hint) {
        StringBuilder out = new StringBuilder(hint.length() > 4 ? hint.substring(0, 4) : hint);
        for (int i = 0; i < 20; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        out.append("+/");
        for (int i = 0; i < 8; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }

    private String token(String kind) {
        String value = secret(kind);
        issued.add(value);
        return value;
    }

    private MockResponse echo(RecordedRequest request) throws IOException {
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder dump = new StringBuilder(request.getRequestLine() + "\r\n");
        for (String name : request.getHeaders().names()) {
            String value = String.join(", ", request.getHeaders().values(name));
            headers.put(name, value);
            dump.append(name).append(": ").append(value).append("\r\n");
        }
        dump.append("\r\n").append(body);
        requests.add(dump.toString());

        Map<String, Object> answer = new LinkedHashMap<>();
        // OAuth2 (RFC 6749), Stara, Agvance, Sentera, Raven Slingshot and John Deere answer shapes, all at once.
        answer.put("access_token", token("acc"));
        answer.put("token_type", "Bearer");
        answer.put("expires_in", 3600);
        answer.put("refresh_token", token("ref"));
        answer.put("accessToken", token("acc"));
        answer.put("accessTokenClient", token("acl"));
        answer.put("refreshToken", token("ref"));
        answer.put("sessionId", token("ses"));
        answer.put("auth_token", token("aut"));
        answer.put("IsActive", true);
        answer.put("values", List.of());
        answer.put("data", Map.of("organizations", Map.of("results", List.of(Map.of("name", ORGANIZATION, "sentera_id", "org-1")))));
        answer.put("echo", Map.of("method", request.getMethod(), "uri", request.getTarget(),
                "headers", headers, "body", body));
        answer.put("dump", dump.toString());
        MockResponse.Builder response = new MockResponse.Builder().code(200)
                .addHeader("Content-Type", "application/json")
                .addHeader("X-Echo-Body", body.replaceAll("[\\r\\n]", " "))
                .body(JSON.writeValueAsString(answer));
        headers.forEach((name, value) -> response.addHeader("X-Echo-" + name, value));
        return response.build();
    }

    @Override
    public void close() {
        server.close();
    }
}
