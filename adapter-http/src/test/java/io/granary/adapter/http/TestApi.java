package io.granary.adapter.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.granary.core.port.in.ManageUsersUseCase;
import io.granary.spi.JdkProviderHttp;
import io.granary.spi.ProviderAdapter;
import io.granary.core.service.OAuthHelperService;
import io.granary.core.service.WebhookDestinationGuard;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.core.testing.CoreFixture;
import io.granary.testkit.FakeTokenServer;
import io.granary.core.testing.TestOAuthProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A real Undertow on a random port over the real core services (CoreFixture) and a fake OAuth server. */
final class TestApi implements AutoCloseable {

    static final byte[] SECRET = "0123456789abcdef0123456789abcdef-test-secret".getBytes(StandardCharsets.UTF_8);
    static final String PASSWORD = "correct horse battery";
    static final String USERS = "/services/usermanagement/api/users";
    static final String SUFFIX = TestOAuthProvider.SUFFIX;
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeTokenServer tokenServer;
    final CoreFixture core;
    final HttpApi api;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private TestApi(boolean revealSecrets, UnaryOperator<ManageUsersUseCase> wrapUsers) {
        this(revealSecrets, wrapUsers, b -> b);
    }

    private TestApi(boolean revealSecrets, UnaryOperator<ManageUsersUseCase> wrapUsers, UnaryOperator<HttpApi.Builder> configure) {
        // Webhooks may point at private addresses: the tests' receivers listen on loopback.
        this(revealSecrets, wrapUsers, configure, WebhookDestinationGuard.allowingPrivate());
    }

    private TestApi(boolean revealSecrets, UnaryOperator<ManageUsersUseCase> wrapUsers, UnaryOperator<HttpApi.Builder> configure,
                    WebhookDestinationGuard webhookDestinations) {
        this(revealSecrets, wrapUsers, configure, webhookDestinations, List.of());
    }

    private TestApi(boolean revealSecrets, UnaryOperator<ManageUsersUseCase> wrapUsers, UnaryOperator<HttpApi.Builder> configure,
                    WebhookDestinationGuard webhookDestinations, List<ProviderAdapter> extraProviders) {
        try {
            tokenServer = new FakeTokenServer(4);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var descriptor = new TestOAuthProvider().descriptor();
        List<ProviderAdapter> adapters = new java.util.ArrayList<>(List.of(new TestOAuthProvider()));
        adapters.addAll(extraProviders);
        core = CoreFixture.with(adapters, Map.of(
                descriptor.endpointSetting(EndpointKind.TOKEN_URL, Environment.PRODUCTION), tokenServer.tokenUrl(),
                descriptor.endpointSetting(EndpointKind.API_URL, Environment.PRODUCTION), tokenServer.baseUrl(),
                descriptor.endpointSetting(EndpointKind.TOKEN_URL, Environment.STAGE), tokenServer.tokenUrl()),
                webhookDestinations);
        api = configure.apply(HttpApi.builder()
                .users(wrapUsers.apply(core.users))
                .credentials(core.credentials)
                .owners(core.owners)
                .webhooks(core.webhooks)
                .providers(core.providers.descriptors())
                .jwtSecret(SECRET)
                .host("127.0.0.1")
                .port(0)
                .revealSecrets(revealSecrets)
                .clock(core.clock)
                .organizations(core.organizations)
                .configurations(core.configurations)
                .oauthHelper(new OAuthHelperService(core.providers,
                        new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5)), core.clock)))
                .build()
                .start();
    }

    static TestApi start() {
        return new TestApi(false, u -> u);
    }

    /** With the production default: webhooks only to public addresses. */
    static TestApi refusingPrivateWebhooks() {
        return new TestApi(false, u -> u, b -> b, WebhookDestinationGuard.publicOnly());
    }

    static TestApi revealingSecrets() {
        return new TestApi(true, u -> u);
    }

    /** With a provider that reports organizations on every refresh, beside the test OAuth provider. */
    static TestApi withProviders(ProviderAdapter... extra) {
        return new TestApi(false, u -> u, b -> b, WebhookDestinationGuard.allowingPrivate(), List.of(extra));
    }

    /** With extra builder settings (TLS, timeouts, metrics, readiness, observer). */
    static TestApi configured(UnaryOperator<HttpApi.Builder> configure) {
        return new TestApi(false, u -> u, configure);
    }

    /** For the few failures the real services cannot be made to produce (storage down, a bug). */
    static TestApi withUsers(UnaryOperator<ManageUsersUseCase> wrap) {
        return new TestApi(false, wrap);
    }

    @Override
    public void close() {
        api.stop(Duration.ofSeconds(2));
        tokenServer.close();
    }

    /** Adds an owner and logs in as it. */
    String ownerToken(String email) {
        core.addOwner(email, PASSWORD);
        HttpResponse<String> answer = send("POST", "/api/authenticate", null,
                "{\"username\":\"" + email + "\",\"password\":\"" + PASSWORD + "\"}");
        if (answer.statusCode() != 200) {
            throw new AssertionError("login failed: " + answer.body());
        }
        return (String) map(answer).get("id_token");
    }

    String createUser(String token, String name, String email) {
        HttpResponse<String> answer = send("POST", USERS, token,
                "{\"name\":\"" + name + "\",\"email\":\"" + email + "\"}");
        if (answer.statusCode() != 201) {
            throw new AssertionError("create failed: " + answer.body());
        }
        return (String) map(answer).get("id");
    }

    HttpResponse<String> send(String method, String path, String token, String body) {
        HttpRequest.Builder request = request(method, path, token, body);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return send(request);
    }

    HttpRequest.Builder request(String method, String path, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Map<String, Object> map(HttpResponse<String> answer) {
        try {
            return JSON.readValue(answer.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + answer.body(), e);
        }
    }

    static List<Map<String, Object>> list(HttpResponse<String> answer) {
        try {
            return JSON.readValue(answer.body(), new TypeReference<>() { });
        } catch (IOException e) {
            throw new AssertionError("not a JSON array: " + answer.body(), e);
        }
    }

    /** Asserts an RFC 9457 answer with the given status and returns its body. */
    static Map<String, Object> problem(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + answer.statusCode() + ": " + answer.body());
        }
        String type = answer.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            throw new AssertionError("not a problem answer: " + type + " " + answer.body());
        }
        Map<String, Object> body = map(answer);
        if (!Integer.valueOf(status).equals(body.get("status")) || body.get("title") == null
                || body.get("type") == null || body.get("detail") == null || body.get("requestId") == null) {
            throw new AssertionError("incomplete problem: " + answer.body());
        }
        return body;
    }
}
