package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Sentera FieldAgent: logging in ({@code POST /v1/sessions}) yields an {@code auth_token} good for three months;
 * the GraphQL {@code organizations} query then resolves the grower's organization name to its {@code sentera_id}.
 * GraphQL reports failures as HTTP 200 with an {@code errors} array.
 *
 * <p>Sources: login URL and body {@code {"session":{"email","password","platform_id":"API","version_id":"1.0.0"}}}
 * answering {@code auth_token}: SenteraLLC/py-sentera-api {@code sentera/auth.py} ({@code get_auth_token}); the
 * three-month session: api.sentera.com legacy_authentication (as summarised in the project's providers reference).
 * Unverified: the status codes of a refused login (401/422 are assumed to mean a wrong password), and the exact
 * {@code organizations} query shape (taken from Sentera's GraphQL schema as the project's reference describes it).
 */
public final class SenteraProvider implements ProviderAdapter {

    static final String AUTH_TOKEN = "authToken";
    static final String ORGANIZATION_ID = "organizationId";
    static final Duration SESSION_LIFETIME = Duration.ofDays(90);
    static final int PAGE_SIZE = 100;
    /** A bound on how many organizations we page through: 5 000 is far beyond one grower's reach. */
    static final int MAX_PAGES = 50;

    static final String ORGANIZATIONS_QUERY = "query Organizations($page: Int!, $pageSize: Int!) {"
            + " organizations(pagination: {page: $page, page_size: $pageSize}) {"
            + " total_count results { sentera_id name } } }";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Sentera")
            .displayName("Sentera")
            .endpointSuffix("sentera-credentials")
            .authType(AuthType.USERNAME_PASSWORD)
            .environments(PRODUCTION)
            .fields(
                    CredentialField.required("username"),
                    CredentialField.required("password").asPassword(),
                    CredentialField.required("organizationName"),
                    CredentialField.generated(AUTH_TOKEN).asToken(),
                    CredentialField.generated(ORGANIZATION_ID))
            .endpoint(TOKEN_URL, PRODUCTION, "https://api.sentera.com/v1/sessions")
            .endpoint(API_URL, PRODUCTION, "https://api.sentera.com/graphql")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RefreshResult refresh(RefreshContext context) {
        ProviderResponse login = context.http().send(ProviderRequest.post(context.endpoint(TOKEN_URL))
                // py-sentera-api sentera/auth.py sends exactly these four members.
                .json(Map.of("session", Map.of(
                        "email", context.requiredField("username"),
                        "password", context.requiredField("password"),
                        "platform_id", "API",
                        "version_id", "1.0.0")))
                .build());
        if (login.status() == 401 || login.status() == 422) {
            return new RefreshResult.Invalid("Sentera refused the user name or password (HTTP " + login.status() + ")");
        }
        if (!login.isSuccess()) {
            return ProviderAnswers.apiFailure(login, context.now());
        }
        String authToken = Json.string(login.jsonObject(), "auth_token");
        if (authToken == null || authToken.isBlank()) {
            throw new MalformedAnswerException("Sentera login answer has no auth_token");
        }
        Instant expiresAt = context.now().plus(SESSION_LIFETIME);
        // Saved before the organization lookup: the session is valid even if the lookup fails.
        context.saveTokens(new TokenUpdate(Map.of(AUTH_TOKEN, authToken), expiresAt, List.of()));
        return resolveOrganization(context, authToken, expiresAt);
    }

    private RefreshResult resolveOrganization(RefreshContext context, String authToken, Instant expiresAt) {
        String wanted = context.requiredField("organizationName").trim();
        for (int page = 1; page <= MAX_PAGES; page++) {
            ProviderResponse answer = context.http().send(ProviderRequest.post(context.endpoint(API_URL))
                    .bearer(authToken)
                    .json(Map.of("query", ORGANIZATIONS_QUERY, "variables", Map.of("page", page, "pageSize", PAGE_SIZE)))
                    .build());
            if (!answer.isSuccess()) {
                return ProviderAnswers.apiFailure(answer, context.now());
            }
            Map<String, Object> json = answer.jsonObject();
            if (json.get("errors") instanceof List<?> errors && !errors.isEmpty()) {
                // The error text may quote the query; the count is enough for the status message.
                return new RefreshResult.MissingPermission("Sentera refused the organization query (" + errors.size() + " GraphQL error(s))");
            }
            List<?> results = results(json);
            for (Object item : results) {
                if (item instanceof Map<?, ?> org && org.get("name") instanceof String name
                        && name.trim().equalsIgnoreCase(wanted) && org.get("sentera_id") instanceof String id && !id.isBlank()) {
                    context.saveTokens(new TokenUpdate(Map.of(ORGANIZATION_ID, id), expiresAt, List.of()));
                    return RefreshResult.valid();
                }
            }
            if (results.size() < PAGE_SIZE) {
                break;
            }
        }
        return new RefreshResult.MissingPermission("the Sentera user cannot see an organization with the given name");
    }

    private static List<?> results(Map<String, Object> json) {
        if (json.get("data") instanceof Map<?, ?> data
                && data.get("organizations") instanceof Map<?, ?> organizations
                && organizations.get("results") instanceof List<?> results) {
            return results;
        }
        throw new MalformedAnswerException("Sentera organizations answer has no data.organizations.results");
    }
}
