package io.granary.core.port.in;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed commands of the inbound ports refuse what the JSON bodies used to be refused for, naming the member. */
class InboundCommandsTest {

    private static Map<String, Object> body(Object... pairs) {
        Map<String, Object> body = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            body.put((String) pairs[i], pairs[i + 1]);
        }
        return body;
    }

    private static String refused(Runnable build) {
        return assertThrows(InvalidInputException.class, build::run).field();
    }

    @Test
    void patchUser_changesOnlyThePresentFields_andNullClears() {
        PatchUserCommand patch = PatchUserCommand.fromJson(body("name", "Ann", "phone", null, "id", "ignored"));
        UserDraft after = patch.applyTo(new UserDraft("Old", "old@farm.io", "123", "Road 1", "ext"));
        assertEquals(new UserDraft("Ann", "old@farm.io", null, "Road 1", "ext"), after);
        assertEquals("email", refused(() -> PatchUserCommand.fromJson(body("email", 7))));
        assertEquals("nickname", refused(() -> PatchUserCommand.fromJson(body("nickname", "x"))));
        assertEquals("johnDeereCredentials", refused(() -> PatchUserCommand.fromJson(body("johnDeereCredentials", "x"))));
    }

    @Test
    void configurationChanges_checkNamesAndKinds_keepNullsForTheOperation() {
        ConfigurationChanges changes = ConfigurationChanges.fromJson(body("fieldsAutoMerge", true, "leafUserId", "x"));
        assertEquals(Map.of("fieldsAutoMerge", true), changes.values());
        assertTrue(ConfigurationChanges.fromJson(body("fieldsAutoMerge", null)).values().containsKey("fieldsAutoMerge"));
        assertEquals("fieldsAutoMerge", refused(() -> ConfigurationChanges.fromJson(body("fieldsAutoMerge", "yes"))));
        assertEquals("(unprintable)", refused(() -> ConfigurationChanges.fromJson(body("bad\nname", 1))));
    }

    @Test
    void attachCredential_takesStringsOnly_andSetsTheEnvironmentApart() {
        AttachCredentialCommand command = AttachCredentialCommand.fromJson(
                body("clientId", "id", "refreshToken", null, "clientEnvironment", "STAGE"));
        assertEquals("STAGE", command.environment());
        assertEquals("id", command.fields().get("clientId"));
        assertTrue(command.fields().containsKey("refreshToken"));
        assertEquals("clientId", refused(() -> AttachCredentialCommand.fromJson(body("clientId", 42))));
        assertEquals("clientEnvironment", refused(() -> AttachCredentialCommand.fromJson(body("clientEnvironment", 1))));
        // a name that cannot be echoed is kept for the service to refuse as unknown, not echoed in a type error
        AttachCredentialCommand hostile = AttachCredentialCommand.fromJson(body("x\u0000", 1));
        assertTrue(hostile.fields().containsKey("x\u0000"));
        assertNull(hostile.fields().get("x\u0000"));
    }

    @Test
    void oauthClient_requiresIdCodeAndAnAbsoluteRedirect() {
        OAuthClientCommand url = OAuthClientCommand.authorizationUrl(body("client_id", "c", "client_secret", "s",
                "client_redirect_url", "https://app.example/cb", "apiKey", "k"));
        assertNull(url.clientSecret(), "get_url never carries the secret on");
        assertNull(url.code());
        assertEquals(Map.of("apiKey", "k"), url.extras());
        assertEquals("code", refused(() -> OAuthClientCommand.exchangeCode(body("client_id", "c",
                "client_redirect_url", "https://app.example/cb"))));
        assertEquals("client_redirect_url", refused(() -> OAuthClientCommand.authorizationUrl(body("client_id", "c",
                "client_redirect_url", "https://app.example/cb#frag"))));
        assertEquals("client_id", refused(() -> OAuthClientCommand.authorizationUrl(body("client_id", List.of(),
                "client_redirect_url", "https://app.example/cb"))));
    }

    @Test
    void appKey_typeChecksMembersAndScopes() {
        AppKeyCommand key = AppKeyCommand.fromJson(body("clientId", "c", "clientSecret", " ", "scopes", List.of("FIELDS:READ")));
        assertEquals("c", key.fields().get("clientId"));
        assertNull(key.fields().get("clientSecret"), "blank counts as missing");
        assertTrue(key.fields().containsKey("clientSecret"));
        assertEquals(List.of("FIELDS:READ"), key.scopes());
        assertEquals("clientId", refused(() -> AppKeyCommand.fromJson(body("clientId", 5))));
        assertEquals("scopes", refused(() -> AppKeyCommand.fromJson(body("scopes", List.of("a b")))));
        assertEquals("scopes", refused(() -> AppKeyCommand.fromJson(body("scopes", "FIELDS:READ"))));
        assertEquals("scopes", refused(() -> AppKeyCommand.fromJson(body("scopes", List.of(5)))));
    }

    @Test
    void configurationNumbers_areDecimals() {
        assertEquals(new BigDecimal("3"), ConfigurationChanges.fromJson(body("fieldsAttachIntersection", 3)).values()
                .values().iterator().next());
    }
}
