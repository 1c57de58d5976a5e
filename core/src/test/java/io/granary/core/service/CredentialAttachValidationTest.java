package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.LeafUser;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.in.UserDraft;
import io.granary.spi.Environment;
import io.granary.core.testing.CoreFixture;
import io.granary.core.testing.TestOAuthProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

final class CredentialAttachValidationTest {

    private final CoreFixture core = CoreFixture.create();
    private final UUID owner = UUID.randomUUID();
    private LeafUser user;

    @BeforeEach
    void setUp() {
        user = core.users.create(owner, new UserDraft("Grower", null, null, null, null));
    }

    private Map<String, Object> body() {
        Map<String, Object> body = new HashMap<>();
        body.put("clientId", "id");
        body.put("clientSecret", "secret");
        body.put("refreshToken", "rt");
        return body;
    }

    private InvalidInputException rejected(Map<String, Object> body) {
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> core.credentials.attach(owner, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(body)));
        assertTrue(core.stores.credentials().find(owner, user.id(), "TestOAuth").isEmpty(), "nothing stored");
        return e;
    }

    @Test
    void attach_whenRequiredFieldMissing_namesIt() {
        Map<String, Object> body = body();
        body.remove("clientSecret");
        assertEquals("clientSecret", rejected(body).field());
        body.put("clientSecret", "  ");
        assertEquals("clientSecret", rejected(body).field());
    }

    @Test
    void attach_whenFieldUnknownWrongTypeTooLongOrControl_namesIt() {
        Map<String, Object> unknown = body();
        unknown.put("clientKey", "x");
        assertEquals("clientKey", rejected(unknown).field());
        Map<String, Object> number = body();
        number.put("clientId", 42);
        assertEquals("clientId", rejected(number).field());
        Map<String, Object> tooLong = body();
        tooLong.put("clientId", "x".repeat(9000));
        assertEquals("clientId", rejected(tooLong).field());
        Map<String, Object> control = body();
        control.put("clientId", "a\u0000b");
        assertEquals("clientId", rejected(control).field());
    }

    @Test
    void attach_environmentDefaultsAndMustBeSupported() {
        Map<String, Object> bad = body();
        bad.put("clientEnvironment", "SANDBOX");
        assertEquals("clientEnvironment", rejected(bad).field());

        Map<String, Object> stage = body();
        stage.put("clientEnvironment", "STAGE");
        assertEquals(Environment.STAGE, core.credentials.attach(owner, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(stage)).environment());
    }

    @Test
    void attach_whenAlreadyAttached_conflicts() {
        core.credentials.attach(owner, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(body()));
        assertThrows(ConflictException.class, () -> core.credentials.attach(owner, user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(body())));
    }

    @Test
    void attach_whenUserBelongsToAnotherOwnerOrSuffixUnknown_isNotFound() {
        assertThrows(NotFoundException.class, () -> core.credentials.attach(UUID.randomUUID(), user.id(), TestOAuthProvider.SUFFIX, AttachCredentialCommand.fromJson(body())));
        assertThrows(NotFoundException.class, () -> core.credentials.attach(owner, user.id(), "nope-credentials", AttachCredentialCommand.fromJson(body())));
    }
}
