package io.granary.core.service;

import io.granary.core.port.in.OAuthClientCommand;
import io.granary.spi.JdkProviderHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.NotFoundException;
import io.granary.spi.AuthType;
import io.granary.spi.AuthorizationRequest;
import io.granary.spi.CodeExchangeException;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.Pkce;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import io.granary.testkit.FakeTokenServer;
import io.granary.core.testing.TestOAuthProvider;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

final class AuthorizationCodeGrantTest {

    private static final String VERIFIER = "v".repeat(43);

    /** Shaped like John Deere: scopes, PKCE, an extra parameter; and optionally switched off by a setting. */
    static final class PkceProvider extends OAuth2Provider {
        private final String enabling;

        PkceProvider(String enabling) {
            this.enabling = enabling;
        }

        @Override
        public ProviderDescriptor descriptor() {
            return ProviderDescriptor.builder("PkceTest").displayName("PKCE Test").endpointSuffix("pkce-test-credentials")
                    .authType(AuthType.OAUTH2).environments(Environment.PRODUCTION)
                    .fields(CredentialField.required("clientId").asClientId(), CredentialField.required("clientSecret").asClientSecret(),
                            CredentialField.required("refreshToken").asSecret())
                    .endpoint(EndpointKind.AUTHORIZE_URL, Environment.PRODUCTION, "https://auth.example/authorize?tenant=a")
                    .endpoint(EndpointKind.TOKEN_URL, Environment.PRODUCTION, "http://127.0.0.1:9/token")
                    .build();
        }

        @Override
        protected ClientAuth clientAuth() {
            return ClientAuth.BASIC;
        }

        @Override
        protected List<String> authorizationScopes(AuthorizationRequest request) {
            return List.of("ag1", "offline_access");
        }

        @Override
        protected Map<String, String> authorizationParameters(AuthorizationRequest request) {
            return Map.of("audience", "https://api.example", "state", "must-not-override");
        }

        @Override
        public boolean acceptsPkce() {
            return true;
        }

        @Override
        public String enablingSetting() {
            return enabling;
        }
    }

    private final FakeTokenServer server = newServer();

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void authorizationUrl_carriesClientRedirectScopeStateChallengeAndExtras() {
        String url = new PkceProvider(null).authorizationUrl(new AuthorizationRequest("https://auth.example/authorize?tenant=a",
                Environment.PRODUCTION, "my client", "https://app.example/cb?x=1", "st4te", Pkce.challenge(VERIFIER), Map.of()));
        Map<String, String> query = query(url);
        assertTrue(url.startsWith("https://auth.example/authorize?tenant=a&"), url);
        assertEquals("code", query.get("response_type"));
        assertEquals("my client", query.get("client_id"));
        assertEquals("https://app.example/cb?x=1", query.get("redirect_uri"));
        assertEquals("ag1 offline_access", query.get("scope"));
        assertEquals("st4te", query.get("state"), "a provider's extras cannot replace the host's state");
        assertEquals(Pkce.challenge(VERIFIER), query.get("code_challenge"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertEquals("https://api.example", query.get("audience"));
    }

    @Test
    void authorizationUrl_withoutPkceSupport_sendsNoChallenge() {
        String url = new TestOAuthProvider().authorizationUrl(new AuthorizationRequest("https://a.example/auth",
                Environment.PRODUCTION, "c", "https://app.example/cb", "s", Pkce.challenge(VERIFIER), Map.of()));
        assertFalse(url.contains("code_challenge"), url);
        assertFalse(url.contains("scope="), "no scopes declared, none sent: " + url);
    }

    @Test
    void pkceChallenge_matchesRfc7636AppendixB() {
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", Pkce.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
        assertThrows(IllegalArgumentException.class, () -> Pkce.challenge("short"));
    }

    @Test
    void exchangeCode_withPkce_returnsTokens_andTheCodeIsSingleUse() {
        PkceProvider provider = new PkceProvider(null);
        ProviderRegistry registry = registry(provider);
        String code = server.newCode(Pkce.challenge(VERIFIER));
        TokenUpdate tokens = provider.exchangeCode(context(registry, provider), code, "https://app.example/cb", VERIFIER);
        assertNotNull(tokens.fields().get(OAuth2Provider.ACCESS_TOKEN));
        assertNotNull(tokens.fields().get(OAuth2Provider.REFRESH_TOKEN));
        assertEquals(List.of("openid", "ag"), tokens.scopes());

        CodeExchangeException replay = assertThrows(CodeExchangeException.class,
                () -> provider.exchangeCode(context(registry, provider), code, "https://app.example/cb", VERIFIER));
        assertInstanceOf(RefreshResult.Invalid.class, replay.result());
        assertTrue(replay.getMessage().contains("invalid_grant"), replay.getMessage());
    }

    @Test
    void exchangeCode_withWrongVerifier_isRefused() {
        PkceProvider provider = new PkceProvider(null);
        ProviderRegistry registry = registry(provider);
        String code = server.newCode(Pkce.challenge(VERIFIER));
        assertThrows(CodeExchangeException.class,
                () -> provider.exchangeCode(context(registry, provider), code, "https://app.example/cb", "w".repeat(43)));
    }

    @Test
    void helper_buildsUrlAndExchangesCode_byProviderSlug() {
        PkceProvider provider = new PkceProvider(null);
        OAuthHelperService helper = new OAuthHelperService(registry(provider), http(), Clock.systemUTC());
        assertEquals(List.of("pkce-test"), helper.providers());

        String url = helper.authorizationUrl("pkce-test", OAuthClientCommand.authorizationUrl(Map.of("client_id", FakeTokenServer.CLIENT_ID,
                "client_secret", FakeTokenServer.CLIENT_SECRET, "client_redirect_url", "https://app.example/cb")));
        Map<String, String> query = query(url);
        assertEquals(FakeTokenServer.CLIENT_ID, query.get("client_id"));
        assertTrue(query.get("state").length() >= 32, "state is unguessable");
        assertFalse(url.contains(FakeTokenServer.CLIENT_SECRET), "the secret never goes into a browser URL");
        assertFalse(query.containsKey("code_challenge"), "the helper cannot keep a verifier");

        Map<String, String> tokens = helper.exchangeCode("pkce-test", OAuthClientCommand.exchangeCode(Map.of("client_id", FakeTokenServer.CLIENT_ID,
                "client_secret", FakeTokenServer.CLIENT_SECRET, "code", server.newCode(null),
                "client_redirect_url", "https://app.example/cb")));
        assertTrue(tokens.get("accessToken").startsWith("at-"));
        assertTrue(tokens.get("refreshToken").startsWith("rt-"));
    }

    @Test
    void helper_rejectsUnknownProvidersAndBadBodies() {
        OAuthHelperService helper = new OAuthHelperService(registry(new PkceProvider(null)), http(), Clock.systemUTC());
        assertThrows(NotFoundException.class, () -> helper.authorizationUrl("nope",
                OAuthClientCommand.authorizationUrl(Map.of("client_id", "c", "client_redirect_url", "https://app.example/cb"))));
        InvalidInputException missing = assertThrows(InvalidInputException.class,
                () -> helper.authorizationUrl("pkce-test", OAuthClientCommand.authorizationUrl(Map.of("client_redirect_url", "https://app.example/cb"))));
        assertEquals("client_id", missing.field());
        InvalidInputException redirect = assertThrows(InvalidInputException.class, () -> helper.authorizationUrl("pkce-test",
                OAuthClientCommand.authorizationUrl(Map.of("client_id", "c", "client_redirect_url", "javascript:alert(1)"))));
        assertEquals("client_redirect_url", redirect.field());
    }

    @Test
    void registry_loadsAProviderWithAnEnablingSetting_onlyWhenItIsTrue() {
        List<ProviderAdapter> adapters = List.of(new TestOAuthProvider(), new PkceProvider("GRANARY_SANDBOX"));
        assertTrue(ProviderRegistry.of(adapters, name -> null).byId("PkceTest").isEmpty());
        assertTrue(ProviderRegistry.of(adapters, Map.of("GRANARY_SANDBOX", "false")::get).byId("PkceTest").isEmpty());
        assertTrue(ProviderRegistry.of(adapters, Map.of("GRANARY_SANDBOX", "true")::get).byId("PkceTest").isPresent());
    }

    private ProviderRegistry registry(OAuth2Provider provider) {
        return ProviderRegistry.of(List.of(provider), Map.of(
                provider.descriptor().endpointSetting(EndpointKind.TOKEN_URL, Environment.PRODUCTION), server.tokenUrl())::get);
    }

    private static ClientContext context(ProviderRegistry registry, OAuth2Provider provider) {
        return new ClientContext(registry, provider.descriptor(), Environment.PRODUCTION,
                Map.of("clientId", FakeTokenServer.CLIENT_ID, "clientSecret", FakeTokenServer.CLIENT_SECRET),
                http(), Clock.systemUTC().instant());
    }

    private static JdkProviderHttp http() {
        return new JdkProviderHttp(Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    private static Map<String, String> query(String url) {
        Map<String, String> query = new HashMap<>();
        for (String pair : URI.create(url).getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            query.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private static FakeTokenServer newServer() {
        try {
            return new FakeTokenServer(2);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
