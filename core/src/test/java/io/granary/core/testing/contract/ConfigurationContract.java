package io.granary.core.testing.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.out.ConfigurationStore;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Leaf's configuration service: the values owners and users set explicitly, as JSON text. */
public interface ConfigurationContract extends StorageContract {

    private ConfigurationStore configs() {
        return storage().configurations();
    }

    @Test
    default void ownerValues_areSetFieldByField_keepingTheOthers_andScopedToTheOwner() {
        ApiOwner owner = newOwner();
        ApiOwner other = newOwner();
        assertEquals(Map.of(), configs().ownerValues(owner.id()));
        configs().saveOwnerValues(owner.id(), Map.of("fieldsAutoSync", "false", "unitMeasurement", "\"METRIC\""));
        configs().saveOwnerValues(owner.id(), Map.of("fieldsAutoSync", "true"));
        configs().saveOwnerValues(owner.id(), Map.of());
        configs().saveOwnerValues(other.id(), Map.of("fieldsAutoSync", "false"));

        assertEquals(Map.of("fieldsAutoSync", "true", "unitMeasurement", "\"METRIC\""), configs().ownerValues(owner.id()));
        assertEquals(Map.of("fieldsAutoSync", "false"), configs().ownerValues(other.id()));
    }

    @Test
    default void userValues_areSetAndRemovedInOneCall_andScopedToTheOwner() {
        ApiOwner owner = newOwner();
        LeafUser user = newUser(owner, "Grower", 0);
        LeafUser neighbour = newUser(owner, "Neighbour", 0);
        ApiOwner other = newOwner();
        assertEquals(Map.of(), configs().userValues(owner.id(), user.id()));

        configs().saveUserValues(owner.id(), user.id(), Map.of("a", "1", "b", "2", "c", "[\"x\"]"), Set.of());
        configs().saveUserValues(owner.id(), user.id(), Map.of("b", "3"), Set.of("a", "never-set"));
        configs().saveUserValues(owner.id(), neighbour.id(), Map.of("a", "9"), Set.of());

        assertEquals(Map.of("b", "3", "c", "[\"x\"]"), configs().userValues(owner.id(), user.id()));
        assertEquals(Map.of("a", "9"), configs().userValues(owner.id(), neighbour.id()));
        assertEquals(Map.of(), configs().userValues(other.id(), user.id()));
        assertFalse(configs().deleteUserValues(other.id(), user.id()));
        assertEquals(Map.of("b", "3", "c", "[\"x\"]"), configs().userValues(owner.id(), user.id()));
        assertEquals(Map.of(), configs().ownerValues(owner.id()), "a user's values are not the owner's");
    }

    @Test
    default void userValues_deleteSaysWhetherThereWereAny() {
        ApiOwner owner = newOwner();
        LeafUser user = newUser(owner, "Grower", 0);
        configs().saveUserValues(owner.id(), user.id(), Map.of("a", "1"), Set.of());

        assertTrue(configs().deleteUserValues(owner.id(), user.id()));
        assertEquals(Map.of(), configs().userValues(owner.id(), user.id()));
        assertFalse(configs().deleteUserValues(owner.id(), user.id()));
    }

    @Test
    default void userValues_goWithTheUser() {
        ApiOwner owner = newOwner();
        LeafUser user = newUser(owner, "Grower", 0);
        configs().saveUserValues(owner.id(), user.id(), Map.of("a", "1"), Set.of());
        configs().saveOwnerValues(owner.id(), Map.of("a", "2"));

        assertTrue(storage().users().delete(owner.id(), user.id()));
        assertEquals(Map.of(), configs().userValues(owner.id(), user.id()));
        assertEquals(Map.of("a", "2"), configs().ownerValues(owner.id()), "the owner's values stay");
    }
}
