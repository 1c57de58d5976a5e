package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;
import static io.granary.spi.Environment.STAGE;

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
import io.granary.spi.UnverifiedDefaultsWarning;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Panorama (Precision Planting): an AWS Cognito user pool spoken through the Cognito IDP API, not an OAuth form
 * (see {@link CognitoInitiateAuth} for the protocol and its sources). A refresh is {@code REFRESH_TOKEN_AUTH}; when
 * Cognito says the refresh token is dead and the partner's user name and password are on the credential, the
 * adapter logs in again with {@code USER_PASSWORD_AUTH} and stores the new refresh token. Access is then proved on
 * the partner API's sharing endpoint for the credential's organization code.
 *
 * <p>The app client id comes from the credential ({@code clientId}); the region from the settings: TOKEN_URL is the
 * regional endpoint {@code https://cognito-idp.<region>.amazonaws.com/}, overridable by
 * {@code GRANARY_PROVIDER_PANORAMA_<ENV>_TOKEN_URL}. The STAGE values (us-east-2, {@code api.partner.bananorama.com},
 * {@code GET sharing/{orgCode}}) come from the public Panorama partner sample; the PRODUCTION region and partner API
 * host are assumptions.
 */
public final class PanoramaProvider implements ProviderAdapter {

    static final String CLIENT_ID = "clientId";
    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String ORGANIZATION_CODE = "organizationCode";
    static final String REFRESH_TOKEN = "refreshToken";
    static final String ACCESS_TOKEN = "accessToken";

    /** Cognito's default access-token lifetime; used only if an answer lacks {@code ExpiresIn}. */
    static final Duration ASSUMED_LIFETIME = Duration.ofHours(1);

    /** InitiateAuth errors that mean the grower's user or token is refused: re-consent or a new password is needed. */
    private static final Set<String> GROWER_MUST_ACT =
            Set.of("NotAuthorizedException", "UserNotFoundException", "UserNotConfirmedException", "PasswordResetRequiredException");
    /** InitiateAuth errors that a later retry can fix (AWS API_InitiateAuth, Errors: throttling and internal errors). */
    private static final Set<String> TRY_LATER = Set.of("TooManyRequestsException", "LimitExceededException", "InternalErrorException");
    /** Settings to fix: a wrong app client id or region, or a flow the app client does not allow. */
    private static final Set<String> MISCONFIGURED = Set.of("ResourceNotFoundException", "InvalidParameterException");
    private static final Set<String> KNOWN_ERRORS = union(GROWER_MUST_ACT, TRY_LATER, MISCONFIGURED);

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Panorama")
            .displayName("Panorama (Precision Planting)")
            .endpointSuffix("panorama-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION, STAGE)
            .fields(
                    CredentialField.required(CLIENT_ID).asClientId(),
                    // Optional: with them, a dead refresh token is replaced by logging in again.
                    CredentialField.optional(USERNAME),
                    CredentialField.optional(PASSWORD).asPassword(),
                    CredentialField.required(ORGANIZATION_CODE),
                    CredentialField.required(REFRESH_TOKEN).asSecret(),
                    CredentialField.optional(ACCESS_TOKEN).asToken())
            // Partner sample: authServer "https://cognito-idp.us-east-2.amazonaws.com", dataServer "https://api.partner.bananorama.com/".
            .endpoint(TOKEN_URL, STAGE, "https://cognito-idp.us-east-2.amazonaws.com/")
            .endpoint(API_URL, STAGE, "https://api.partner.bananorama.com")
            // unverified: the PRODUCTION pool's region and the PRODUCTION partner API host.
            .endpoint(TOKEN_URL, PRODUCTION, "https://cognito-idp.us-east-2.amazonaws.com/")
            .endpoint(API_URL, PRODUCTION, "https://api.partner.panorama.ag")
            .unverifiedDefaults("the PRODUCTION Cognito region us-east-2 and partner API host api.partner.panorama.ag are assumed;"
                    + " STAGE values come from a public partner sample")
            .build();

    private final UnverifiedDefaultsWarning defaultsWarning;

    public PanoramaProvider() {
        this(new UnverifiedDefaultsWarning());
    }

    PanoramaProvider(UnverifiedDefaultsWarning defaultsWarning) {
        this.defaultsWarning = defaultsWarning;
    }

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RefreshResult refresh(RefreshContext context) {
        String endpoint = context.endpoint(TOKEN_URL);
        String clientId = context.requiredField(CLIENT_ID);
        ProviderResponse answer = send(context, CognitoInitiateAuth.refresh(endpoint, clientId, context.requiredField(REFRESH_TOKEN)));
        if (!answer.isSuccess()) {
            String type = CognitoInitiateAuth.errorType(answer);
            Optional<String> username = context.field(USERNAME);
            Optional<String> password = context.field(PASSWORD);
            if ("NotAuthorizedException".equals(type) && username.isPresent() && password.isPresent()) {
                // The refresh token is expired or revoked; the partner's own login replaces it.
                answer = send(context, CognitoInitiateAuth.passwordLogin(endpoint, clientId, username.get(), password.get()));
                if (!answer.isSuccess()) {
                    return failure(context, answer, "Cognito refused the refresh token and then the partner user name or password");
                }
            } else {
                return failure(context, answer, "Cognito refused the refresh token");
            }
        }
        Map<String, Object> result;
        try {
            result = CognitoInitiateAuth.authenticationResult(answer);
        } catch (MalformedAnswerException e) {
            defaultsWarning.unreadable(DESCRIPTOR, context, endpoint);
            throw e;
        }
        if (result == null) {
            // NEW_PASSWORD_REQUIRED, MFA and the like: only the grower can answer them.
            return new RefreshResult.Invalid("Cognito asks the Panorama user to answer a challenge ("
                    + CognitoInitiateAuth.challengeName(answer) + "); the grower must sign in to Panorama");
        }
        String accessToken = saveTokens(context, result);
        return checkSharing(context, accessToken);
    }

    /** Sends an InitiateAuth call; an answer that is neither success, 5xx nor a known Cognito error may mean a wrong URL. */
    private ProviderResponse send(RefreshContext context, ProviderRequest request) {
        ProviderResponse answer = context.http().send(request);
        String type = CognitoInitiateAuth.errorType(answer);
        boolean known = answer.isSuccess() || answer.status() >= 500 || (type != null && KNOWN_ERRORS.contains(type));
        if (!known) {
            defaultsWarning.unrecognised(DESCRIPTOR, context, request.uri().toString(), answer);
        }
        return answer;
    }

    /** Saves the new access token and, if Cognito rotated it or a password login issued one, the refresh token. */
    private static String saveTokens(RefreshContext context, Map<String, Object> result) {
        String accessToken = Json.string(result, "AccessToken");
        if (accessToken == null || accessToken.isBlank()) {
            throw new MalformedAnswerException("Cognito AuthenticationResult has no AccessToken");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(ACCESS_TOKEN, accessToken);
        // REFRESH_TOKEN_AUTH usually answers without one (unless the pool rotates refresh tokens): keep the old.
        String refreshToken = Json.string(result, "RefreshToken");
        if (refreshToken != null && !refreshToken.isBlank()) {
            fields.put(REFRESH_TOKEN, refreshToken);
        }
        Long expiresIn = Json.number(result, "ExpiresIn");
        Duration lifetime = expiresIn != null && expiresIn > 0 ? Duration.ofSeconds(expiresIn) : ASSUMED_LIFETIME;
        context.saveTokens(new TokenUpdate(fields, context.now().plus(lifetime), List.of()));
        return accessToken;
    }

    /**
     * Maps an InitiateAuth error to a status. Throttling, internal errors and 5xx: try later. A refused token or user:
     * INVALID. A wrong app client id or region ({@code ResourceNotFoundException}) or a flow the app client does not
     * allow ({@code InvalidParameterException}): a setting to fix, so TEMPORARILY_UNAVAILABLE, which recovers by itself
     * once the setting is right, rather than INVALID, which would need every grower to reconnect.
     */
    private RefreshResult failure(RefreshContext context, ProviderResponse answer, String refusal) {
        String type = CognitoInitiateAuth.errorType(answer);
        if (type == null) {
            return ProviderAnswers.unavailable(answer, context.now());
        }
        if (answer.status() >= 500 || TRY_LATER.contains(type)) {
            return new RefreshResult.Unavailable("Cognito answered " + type,
                    answer.retryAfter(context.now()).orElse(null));
        }
        if (GROWER_MUST_ACT.contains(type)) {
            return new RefreshResult.Invalid(refusal + " (" + type + ")");
        }
        if (MISCONFIGURED.contains(type)) {
            return new RefreshResult.Unavailable("Cognito answered " + type + ": check the credential's clientId and "
                    + DESCRIPTOR.endpointSetting(TOKEN_URL, context.environment()) + " (the pool's region), and that the app client allows"
                    + " REFRESH_TOKEN_AUTH and USER_PASSWORD_AUTH");
        }
        return ProviderAnswers.unavailable(answer, context.now());
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }

    /**
     * {@code GET {api}/sharing/{orgCode}} with the access token, as the partner sample does to list the organization's
     * fields: 2xx works; 401 the token is refused; 403 or 404 the organization is not (or no longer) shared with the
     * partner (unverified: the sample shows no error answers).
     */
    private RefreshResult checkSharing(RefreshContext context, String accessToken) {
        String organizationCode = context.requiredField(ORGANIZATION_CODE);
        String url = context.endpoint(API_URL) + "/sharing/" + URLEncoder.encode(organizationCode, StandardCharsets.UTF_8).replace("+", "%20");
        ProviderResponse answer = context.http().send(ProviderRequest.get(url).bearer(accessToken).build());
        defaultsWarning.answered(DESCRIPTOR, context, url, answer);
        if (answer.status() == 404) {
            return new RefreshResult.MissingPermission("Panorama does not share the organization code with this partner");
        }
        return ProviderAnswers.accessCheck(answer, context.now());
    }
}
