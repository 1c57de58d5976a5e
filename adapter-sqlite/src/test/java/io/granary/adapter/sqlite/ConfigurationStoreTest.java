package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.LeafUser;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration store on a real SQLite file. */
final class ConfigurationStoreTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private ApiOwner owner;
    private LeafUser user;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        owner = Fixtures.insertOwner(storage);
        user = Fixtures.insertUser(storage, owner);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void ownerValues_upsertFieldByField() {
        assertEquals(Map.of(), storage.configurations().ownerValues(owner.id()));
        storage.configurations().saveOwnerValues(owner.id(), Map.of("fieldsAutoSync", "false", "unitMeasurement", "\"METRIC\""));
        storage.configurations().saveOwnerValues(owner.id(), Map.of("fieldsAutoSync", "true"));
        assertEquals(Map.of("fieldsAutoSync", "true", "unitMeasurement", "\"METRIC\""), storage.configurations().ownerValues(owner.id()));
    }

    @Test
    void userValues_setRemoveDelete_scopedToOwner_goWithTheUser() {
        storage.configurations().saveUserValues(owner.id(), user.id(), Map.of("a", "1", "b", "2"), Set.of());
        storage.configurations().saveUserValues(owner.id(), user.id(), Map.of("b", "3"), Set.of("a"));
        assertEquals(Map.of("b", "3"), storage.configurations().userValues(owner.id(), user.id()));
        assertEquals(Map.of(), storage.configurations().userValues(Fixtures.insertOwner(storage).id(), user.id()));

        assertTrue(storage.configurations().deleteUserValues(owner.id(), user.id()));
        assertFalse(storage.configurations().deleteUserValues(owner.id(), user.id()));

        storage.configurations().saveUserValues(owner.id(), user.id(), Map.of("a", "1"), Set.of());
        assertTrue(storage.users().delete(owner.id(), user.id()));
        assertEquals(Map.of(), storage.configurations().userValues(owner.id(), user.id()));
    }
}
