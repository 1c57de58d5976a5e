package io.granary.provider.johndeere;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderOrganization;
import io.granary.spi.RefreshResult;
import io.granary.testkit.FakeRefreshContext;
import io.granary.testkit.OAuth2ProviderContract;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

final class JohnDeereProviderTest extends OAuth2ProviderContract {

    private static final String OKTA = "https://signin.johndeere.com/oauth2/aus78tnlaysMraFhC1t7/v1";

    /** A connected organization: it has links, but none with rel {@code connections}. */
    private static final String CONNECTED = """
            {"values":[{"@type":"Organization","id":"1","name":"Home Farm",
              "links":[{"@type":"Link","rel":"self","uri":"https://partnerapi.deere.com/platform/organizations/1"},
                       {"@type":"Link","rel":"fields","uri":"https://partnerapi.deere.com/platform/organizations/1/fields"}]}]}
            """;

    private static final String ONE_NOT_CONNECTED = """
            {"values":[{"@type":"Organization","id":"1","name":"Home Farm",
              "links":[{"@type":"Link","rel":"self","uri":"https://partnerapi.deere.com/platform/organizations/1"}]},
             {"@type":"Organization","id":"2","name":"North Farm",
              "links":[{"@type":"Link","rel":"connections","uri":"https://connections.deere.com/connections/app/select-organizations"}]}]}
            """;

    private final JohnDeereProvider provider = new JohnDeereProvider();

    @Override
    protected OAuth2Provider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientKey", "deere-app-1", "clientSecret", "deere-secret-1");
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER;
    }

    @Override
    protected String expectedClientIdField() {
        return "clientKey";
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.of(new AccessCheck() {
            @Override
            public MockResponse workingAnswer() {
                return jsonAnswer(200, CONNECTED);
            }

            @Override
            public void verifyRequest(RecordedRequest request, String accessToken) {
                assertEquals("GET", request.getMethod());
                assertEquals(API_PATH + "/organizations", request.getTarget());
                assertEquals("application/vnd.deere.axiom.v3+json", request.getHeaders().get("Accept"));
                assertEquals("Bearer " + accessToken, request.getHeaders().get("Authorization"));
            }
        });
    }

    @Test
    void descriptor_matchesJohnDeereRow() {
        ProviderDescriptor descriptor = provider.descriptor();
        assertEquals("JohnDeere", descriptor.id());
        assertEquals("John Deere Operations Center", descriptor.displayName());
        assertEquals("john-deere-credentials", descriptor.endpointSuffix());
        assertEquals(AuthType.OAUTH2, descriptor.authType());
        assertEquals(Set.of(Environment.STAGE, Environment.PRODUCTION), descriptor.environments());
        assertEquals(Environment.PRODUCTION, descriptor.defaultEnvironment());
        assertEquals(List.of(
                CredentialField.required("clientKey").asClientId(),
                CredentialField.required("clientSecret").asClientSecret(),
                CredentialField.required("refreshToken").asSecret(),
                CredentialField.optional("accessToken").asToken()), descriptor.fields());
        for (Environment environment : Environment.values()) {
            assertEquals(OKTA + "/token", url(EndpointKind.TOKEN_URL, environment));
            assertEquals(OKTA + "/authorize", url(EndpointKind.AUTHORIZE_URL, environment));
        }
    }

    @Test
    void descriptor_stageUsesSandboxApiAndProductionThePartnerApi() {
        assertEquals("https://sandboxapi.deere.com/platform", url(EndpointKind.API_URL, Environment.STAGE));
        assertEquals("https://partnerapi.deere.com/platform", url(EndpointKind.API_URL, Environment.PRODUCTION));
    }

    @Test
    void refresh_whenOneOfTwoOrganizationsIsNotShared_isValidAndNamesTheUnsharedOne() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 43200L, "ag1 org1 offline_access"));
        server().enqueue(jsonAnswer(200, ONE_NOT_CONNECTED));
        FakeRefreshContext context = newContext();

        RefreshResult result = provider.refresh(context);

        RefreshResult.Valid valid = assertInstanceOf(RefreshResult.Valid.class, result);
        assertTrue(valid.message().contains("North Farm (2)"), valid.message());
        assertEquals(List.of(
                new ProviderOrganization("1", "Home Farm", true, null),
                new ProviderOrganization("2", "North Farm", false, "https://connections.deere.com/connections/app/select-organizations")),
                context.organizations());
        assertEquals(NEW_REFRESH_TOKEN, context.current(OAuth2Provider.REFRESH_TOKEN), "rotated token kept despite the finding");
    }

    @Test
    void refresh_whenNoOrganizationIsShared_isMissingPermission() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 43200L, null));
        server().enqueue(jsonAnswer(200, """
                {"values":[{"@type":"Organization","id":"2","name":"North Farm",
                  "links":[{"@type":"Link","rel":"connections","uri":"https://connections.deere.com/connections/app/select-organizations"}]}]}
                """));
        FakeRefreshContext context = newContext();

        RefreshResult result = provider.refresh(context);

        assertEquals("grower must grant organization access at John Deere",
                assertInstanceOf(RefreshResult.MissingPermission.class, result).message());
        assertEquals(1, context.organizations().size());
    }

    @Test
    void refresh_followsNextPageLinks_andJudgesAllOrganizations() {
        // Page 1 has only an unshared organization; without reading page 2 the credential would look MISSING_PERMISSION.
        String page2 = server().url(API_PATH + "/organizations;start=1;count=1").toString();
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 43200L, null));
        server().enqueue(jsonAnswer(200, """
                {"links":[{"@type":"Link","rel":"self","uri":"x"},{"@type":"Link","rel":"nextPage","uri":"%s"}],"total":2,
                 "values":[{"@type":"Organization","id":"2","name":"North Farm",
                   "links":[{"@type":"Link","rel":"connections","uri":"https://connections.deere.com/connections/app/select-organizations"}]}]}
                """.formatted(page2)));
        server().enqueue(jsonAnswer(200, """
                {"links":[{"@type":"Link","rel":"self","uri":"x"}],"total":2,
                 "values":[{"@type":"Organization","id":"1","name":"Home Farm","links":[]}]}
                """));
        FakeRefreshContext context = newContext();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        takeRequest();
        assertEquals(API_PATH + "/organizations", takeRequest().getTarget());
        RecordedRequest second = takeRequest();
        assertEquals(API_PATH + "/organizations;start=1;count=1", second.getTarget());
        assertEquals("Bearer " + NEW_ACCESS_TOKEN, second.getHeaders().get("Authorization"));
        assertEquals(List.of("2", "1"), context.organizations().stream().map(ProviderOrganization::id).toList());
    }

    @Test
    void refresh_whenNextPageLeavesTheApiHost_sendsNoTokenThereAndFails() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 43200L, null));
        server().enqueue(jsonAnswer(200, """
                {"links":[{"rel":"nextPage","uri":"https://elsewhere.example/organizations;start=1"}],
                 "values":[{"id":"1","name":"Home Farm","links":[]}]}
                """));

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(newContext()));
        assertEquals(2, server().getRequestCount());
    }

    @Test
    void refresh_whenNoOrganizationsAreListed_isValid() {
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 43200L, null));
        server().enqueue(jsonAnswer(200, "{\"values\":[],\"total\":0}"));
        FakeRefreshContext context = newContext();

        assertInstanceOf(RefreshResult.Valid.class, provider.refresh(context));
        assertEquals(List.of(), context.organizations());
    }

    @Test
    void refresh_inStage_sendsTheSameRefreshGrant() {
        enqueueWorkingRefresh();

        RefreshResult result = provider.refresh(newContext(Environment.STAGE));

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(TOKEN_PATH, takeRequest().getTarget());
        assertEquals(API_PATH + "/organizations", takeRequest().getTarget());
    }

    @Test
    void refresh_sendsBasicHeaderOfClientKeyAndSecret() {
        enqueueWorkingRefresh();

        provider.refresh(newContext());

        // Decoded by hand rather than with the contract's helper, so a shared bug cannot hide here.
        String header = takeRequest().getHeaders().get("Authorization");
        assertTrue(header.startsWith("Basic "), header);
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        assertEquals("deere-app-1:deere-secret-1", decoded);
    }

    private String url(EndpointKind kind, Environment environment) {
        return provider.descriptor().endpoint(kind, environment).orElseThrow().defaultUrl();
    }
}
