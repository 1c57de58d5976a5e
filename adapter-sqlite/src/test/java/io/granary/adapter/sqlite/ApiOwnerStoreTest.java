package io.granary.adapter.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.DuplicateException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ApiOwnerStoreTest {

    @TempDir
    Path dir;
    private SqliteStorage storage;
    private ApiOwnerStore owners;

    @BeforeEach
    void open() {
        storage = SqliteStorage.open(dir.resolve("g.db"), Fixtures.sealer("k1"));
        owners = storage.owners();
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void insert_thenFind_byIdAndByEmailIgnoringCase() {
        ApiOwner owner = Fixtures.owner("Ops@Example.com");
        owners.insert(owner);
        assertEquals(owner, owners.findById(owner.id()).orElseThrow());
        assertEquals(owner, owners.findByEmail("ops@example.COM").orElseThrow());
        assertTrue(owners.findById(UUID.randomUUID()).isEmpty());
        assertTrue(owners.findByEmail("other@example.com").isEmpty());
    }

    @Test
    void insert_whenEmailTakenInOtherCase_throwsDuplicate() {
        owners.insert(Fixtures.owner("ops@example.com"));
        DuplicateException e = assertThrows(DuplicateException.class,
                () -> owners.insert(Fixtures.owner("OPS@example.com")));
        assertFalse(e.getMessage().toLowerCase().contains("ops@"), e.getMessage());
    }

    @Test
    void listCountAndSetDisabled() {
        ApiOwner a = Fixtures.owner("a@example.com");
        ApiOwner b = Fixtures.owner("b@example.com");
        owners.insert(a);
        owners.insert(b);
        assertEquals(2, owners.count());
        assertEquals(List.of(a, b), owners.list());
        assertTrue(owners.setDisabled(a.id(), true));
        assertTrue(owners.findById(a.id()).orElseThrow().disabled());
        assertFalse(owners.setDisabled(UUID.randomUUID(), true));
    }
}
