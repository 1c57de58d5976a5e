package io.granary.provider.others;

import io.granary.spi.Json;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import java.util.Map;

/**
 * One call of the Amazon Cognito user-pool API {@code InitiateAuth}, spoken as the AWS JSON 1.1 protocol: a POST to
 * the regional endpoint root with {@code X-Amz-Target} naming the operation. No AWS signature is needed: InitiateAuth
 * is an unauthenticated operation for public app clients.
 *
 * <p>Source: AWS Cognito API reference, API_InitiateAuth (request {@code AuthFlow}, {@code ClientId},
 * {@code AuthParameters} with {@code REFRESH_TOKEN} or {@code USERNAME}/{@code PASSWORD}; response
 * {@code AuthenticationResult} with {@code AccessToken}, {@code ExpiresIn}, {@code IdToken}, {@code TokenType} and,
 * for a password login, {@code RefreshToken}; errors as HTTP 400 with {@code __type}); the public Panorama partner
 * sample (a TypeScript express router posting to {@code https://cognito-idp.us-east-2.amazonaws.com} with
 * {@code 'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth'} and
 * {@code 'Content-Type': 'application/x-amz-json-1.1'}, AuthFlow {@code USER_PASSWORD_AUTH}; found by content in
 * the public code index, repository not named by it).
 */
final class CognitoInitiateAuth {

    static final String TARGET = "AWSCognitoIdentityProviderService.InitiateAuth";
    static final String CONTENT_TYPE = "application/x-amz-json-1.1";

    private CognitoInitiateAuth() {
    }

    /** {@code REFRESH_TOKEN_AUTH}: a new access token for a refresh token; Cognito usually returns no new refresh token. */
    static ProviderRequest refresh(String endpoint, String clientId, String refreshToken) {
        return call(endpoint, "REFRESH_TOKEN_AUTH", clientId, Map.of("REFRESH_TOKEN", refreshToken));
    }

    /** {@code USER_PASSWORD_AUTH}: a fresh token set, refresh token included, for a user name and password. */
    static ProviderRequest passwordLogin(String endpoint, String clientId, String username, String password) {
        return call(endpoint, "USER_PASSWORD_AUTH", clientId, Map.of("USERNAME", username, "PASSWORD", password));
    }

    private static ProviderRequest call(String endpoint, String flow, String clientId, Map<String, String> parameters) {
        return ProviderRequest.post(endpoint)
                .json(Map.of("AuthFlow", flow, "ClientId", clientId, "AuthParameters", parameters))
                // After json(): the AWS JSON protocol wants its own media type, not application/json.
                .header("Content-Type", CONTENT_TYPE)
                .header("X-Amz-Target", TARGET)
                .build();
    }

    /**
     * The error type of a failed answer: {@code __type}, without the namespace some AWS endpoints prefix
     * ({@code com.amazonaws...#NotAuthorizedException}), or null if the body carries none.
     */
    static String errorType(ProviderResponse answer) {
        try {
            Object parsed = Json.parse(answer.body());
            if (parsed instanceof Map<?, ?> map && map.get("__type") instanceof String type) {
                return type.substring(type.lastIndexOf('#') + 1);
            }
        } catch (MalformedAnswerException notJson) {
            // An HTML error page from a proxy: no type.
        }
        return null;
    }

    /** The {@code AuthenticationResult} object of a successful answer, or null when Cognito answered a challenge instead. */
    static Map<String, Object> authenticationResult(ProviderResponse answer) {
        Map<String, Object> json = answer.jsonObject();
        if (json.get("AuthenticationResult") instanceof Map<?, ?> result) {
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) result;
            return typed;
        }
        if (json.get("ChallengeName") instanceof String) {
            return null;
        }
        throw new MalformedAnswerException("Cognito answer has neither AuthenticationResult nor ChallengeName");
    }

    static String challengeName(ProviderResponse answer) {
        return Json.string(answer.jsonObject(), "ChallengeName");
    }
}
