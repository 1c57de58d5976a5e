package io.granary.spi;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The refresh-token grant (RFC 6749 section 6) shared by every OAuth 2.0 provider. A provider class names its
 * descriptor, client-authentication style, extra parameters and, optionally, a cheap call that proves access.
 *
 * <p>A rotated refresh token is saved the moment the token endpoint answers; an answer without one keeps the old.
 *
 * <p>The authorization-code grant (section 4.1) is here too, for the host's consent flows: a provider names its
 * {@link #authorizationScopes scopes}, whether it {@link #acceptsPkce accepts PKCE} and any
 * {@link #authorizationParameters extra parameters}; the code exchange uses the same client authentication
 * and token-answer parsing as refresh.
 */
public abstract class OAuth2Provider implements ProviderAdapter, AuthorizationCodeGrant {

    public static final String ACCESS_TOKEN = "accessToken";
    public static final String REFRESH_TOKEN = "refreshToken";

    /**
     * The usual OAuth credential, in Leaf's order: the app's client id and secret under this provider's names
     * (marked {@link CredentialField#asClientId()} and {@link CredentialField#asClientSecret()}: the one place a
     * provider names them), any extra app keys (an API key, a subscription key), then the grower's refresh token
     * and an optional access token.
     */
    protected static CredentialField[] oauthFields(String clientIdField, String clientSecretField, CredentialField... extraKeys) {
        List<CredentialField> fields = new java.util.ArrayList<>();
        fields.add(CredentialField.required(clientIdField).asClientId());
        fields.add(CredentialField.required(clientSecretField).asClientSecret());
        fields.addAll(List.of(extraKeys));
        fields.add(CredentialField.required(REFRESH_TOKEN).asSecret());
        fields.add(CredentialField.optional(ACCESS_TOKEN).asToken());
        return fields.toArray(CredentialField[]::new);
    }

    /** How the client proves its identity to the token endpoint. */
    protected enum ClientAuth {
        /** {@code client_secret_basic}: HTTP Basic with id and secret. */
        BASIC,
        /** {@code client_secret_post}: {@code client_id} and {@code client_secret} in the form body. */
        BODY,
        /** A public client (Cognito app without secret): {@code client_id} in the body only. */
        PUBLIC
    }

    protected abstract ClientAuth clientAuth();

    /**
     * How {@link ClientAuth#BASIC} encodes the client id and secret before base64. RFC 6749 section 2.3.1 says to
     * form-urlencode both first, and a compliant server decodes them; many servers do not decode, and some providers'
     * own samples send them as issued. The two differ only for characters outside letters, digits and {@code -._*}
     * (a secret with {@code + / = ~ :} or spaces), so each provider names what its sources show.
     */
    protected enum BasicCredentials {
        /** RFC 6749 section 2.3.1: {@code base64(urlencode(id) ":" urlencode(secret))}. */
        FORM_URLENCODED,
        /** {@code base64(id ":" secret)}, the values as issued. */
        AS_ISSUED
    }

    /** Default: the RFC's form-encoding; providers whose sources show otherwise override it. */
    protected BasicCredentials basicCredentials() {
        return BasicCredentials.FORM_URLENCODED;
    }

    private final UnverifiedDefaultsWarning defaultsWarning;

    protected OAuth2Provider() {
        this(new UnverifiedDefaultsWarning());
    }

    /** For providers with unverified defaults whose tests capture the one-time warning. */
    protected OAuth2Provider(UnverifiedDefaultsWarning defaultsWarning) {
        this.defaultsWarning = defaultsWarning;
    }

    /** Extra form parameters of the refresh request, such as {@code scope} or {@code audience}. */
    protected Map<String, String> refreshParameters(RefreshContext context) {
        return Map.of();
    }

    /** Lifetime assumed when the token answer has no {@code expires_in}. */
    protected Duration assumedAccessTokenLifetime() {
        return Duration.ofHours(1);
    }

    /** A cheap call with the fresh access token that proves it reaches the grower's data. Default: none. */
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        return RefreshResult.valid();
    }

    /** Scopes asked for on the consent page, space-joined into {@code scope}. Default: none (the app's defaults). */
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of();
    }

    /**
     * Whether the authorization server accepts PKCE S256 (RFC 7636). Default false: an unknown server is sent
     * nothing it might refuse. Providers whose servers document PKCE override this.
     */
    public boolean acceptsPkce() {
        return false;
    }

    /** Extra query parameters of the authorization URL, such as {@code audience}. */
    protected Map<String, String> authorizationParameters(AuthorizationRequest request) {
        return Map.of();
    }

    /** Offered when the descriptor declares an AUTHORIZE_URL: without one there is no consent page to send a grower to. */
    @Override
    public Optional<AuthorizationCodeGrant> authorizationCodeGrant() {
        boolean consentPage = descriptor().endpoints().stream().anyMatch(e -> e.kind() == EndpointKind.AUTHORIZE_URL);
        return consentPage ? Optional.of(this) : Optional.empty();
    }

    @Override
    public final String authorizationUrl(AuthorizationRequest request) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", request.clientId());
        query.put("redirect_uri", request.redirectUri());
        List<String> scopes = authorizationScopes(request);
        if (!scopes.isEmpty()) {
            query.put("scope", String.join(" ", scopes));
        }
        query.put("state", request.state());
        if (request.codeChallenge() != null && acceptsPkce()) {
            query.put("code_challenge", request.codeChallenge());
            query.put("code_challenge_method", "S256");
        }
        authorizationParameters(request).forEach(query::putIfAbsent);
        String encoded = query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        String base = request.authorizeUrl();
        return base + (base.contains("?") ? "&" : "?") + encoded;
    }

    /** The code exchange with this provider's client authentication and token-answer parsing. */
    @Override
    public final TokenUpdate exchangeCode(RefreshContext context, String code, String redirectUri, String codeVerifier) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", redirectUri);
        if (codeVerifier != null && acceptsPkce()) {
            form.put("code_verifier", codeVerifier);
        }
        ProviderResponse answer = context.http().send(tokenRequest(context, form).build());
        if (!answer.isSuccess()) {
            throw new CodeExchangeException(ProviderAnswers.tokenFailure(answer, context.now()));
        }
        return readTokenAnswer(answer, context.now());
    }

    @Override
    public final RefreshResult refresh(RefreshContext context) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", context.requiredField(REFRESH_TOKEN));
        form.putAll(refreshParameters(context));
        ProviderResponse answer = context.http().send(tokenRequest(context, form).build());
        defaultsWarning.answered(descriptor(), context, context.endpoint(EndpointKind.TOKEN_URL), answer);
        if (!answer.isSuccess()) {
            return ProviderAnswers.tokenFailure(answer, context.now());
        }
        TokenUpdate tokens;
        try {
            tokens = readTokenAnswer(answer, context.now());
        } catch (MalformedAnswerException e) {
            defaultsWarning.unreadable(descriptor(), context, context.endpoint(EndpointKind.TOKEN_URL));
            throw e;
        }
        context.saveTokens(tokens);
        return checkAccess(context, tokens.fields().get(ACCESS_TOKEN));
    }

    /**
     * RFC 7009 revocation of the stored refresh token, with the token endpoint's client authentication (RFC 7009
     * section 2.1), if the descriptor declares a {@link EndpointKind#REVOKE_URL} for the credential's environment.
     * 200 is success, also for a token the server does not know (section 2.2); anything else, such as 503 (section
     * 2.2.1), is a failure for the host to log.
     */
    @Override
    public boolean revoke(RevokeContext context) {
        Optional<String> refreshToken = context.field(REFRESH_TOKEN);
        if (descriptor().endpoint(EndpointKind.REVOKE_URL, context.environment()).isEmpty() || refreshToken.isEmpty()) {
            return false;
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("token", refreshToken.get());
        form.put("token_type_hint", "refresh_token");
        ProviderResponse answer = context.http().send(
                withClientAuth(ProviderRequest.post(context.endpoint(EndpointKind.REVOKE_URL)), context, form).build());
        if (answer.status() != 200) {
            throw new RevocationFailedException("revocation answered HTTP " + answer.status() + errorCode(answer).map(e -> " (" + e + ")").orElse(""));
        }
        return true;
    }

    /** The RFC 6749 {@code error} code of an answer, if it has one that looks like a code (so it cannot carry a secret). */
    private static Optional<String> errorCode(ProviderResponse answer) {
        try {
            return Optional.ofNullable(Json.string(answer.jsonObject(), "error")).filter(e -> e.matches("[a-z_]{1,40}"));
        } catch (RuntimeException notJson) {
            return Optional.empty();
        }
    }

    /** A token-endpoint POST with this provider's client authentication applied. */
    protected ProviderRequest.Builder tokenRequest(RefreshContext context, Map<String, String> form) {
        return withClientAuth(ProviderRequest.post(context.endpoint(EndpointKind.TOKEN_URL)), context, form);
    }

    /** The form as the body of {@code request}, with this provider's client authentication applied. */
    private ProviderRequest.Builder withClientAuth(ProviderRequest.Builder request, CredentialContext context, Map<String, String> form) {
        Map<String, String> body = new LinkedHashMap<>(form);
        String clientId = context.requiredField(clientField(descriptor().clientIdField(), "asClientId"));
        switch (clientAuth()) {
            case BASIC -> {
                String secret = context.requiredField(clientSecret());
                if (basicCredentials() == BasicCredentials.AS_ISSUED) {
                    request.basicAuthAsIssued(clientId, secret);
                } else {
                    request.basicAuth(clientId, secret);
                }
            }
            case BODY -> {
                body.put("client_id", clientId);
                body.put("client_secret", context.requiredField(clientSecret()));
            }
            case PUBLIC -> body.put("client_id", clientId);
        }
        return request.form(body);
    }

    private String clientSecret() {
        return clientField(descriptor().clientSecretField(), "asClientSecret");
    }

    /** A client field the descriptor must mark; a provider that forgot is told how to fix it. */
    private String clientField(Optional<String> marked, String marker) {
        return marked.orElseThrow(() -> new IllegalStateException("provider '" + descriptor().id()
                + "' marks no OAuth client field: declare it with oauthFields(...) or CredentialField." + marker + "()"));
    }

    /** Reads {@code access_token}, {@code refresh_token}, {@code expires_in} and {@code scope} from a token answer. */
    protected TokenUpdate readTokenAnswer(ProviderResponse answer, Instant now) {
        Map<String, Object> json = answer.jsonObject();
        String accessToken = Json.string(json, "access_token");
        if (accessToken == null || accessToken.isBlank()) {
            throw new MalformedAnswerException("token answer has no access_token");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put(ACCESS_TOKEN, accessToken);
        String refreshToken = Json.string(json, "refresh_token");
        if (refreshToken != null && !refreshToken.isBlank()) {
            fields.put(REFRESH_TOKEN, refreshToken);
        }
        Long expiresIn = Json.number(json, "expires_in");
        Duration lifetime = expiresIn != null && expiresIn > 0 ? Duration.ofSeconds(expiresIn) : assumedAccessTokenLifetime();
        String scope = Json.string(json, "scope");
        List<String> scopes = scope == null || scope.isBlank() ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
        return new TokenUpdate(fields, now.plus(lifetime), scopes);
    }
}
