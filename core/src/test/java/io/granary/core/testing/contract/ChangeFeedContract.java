package io.granary.core.testing.contract;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.port.out.ChangeFeed;
import io.granary.core.port.out.Storage;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The {@link ChangeFeed} of a storage that offers one ({@link Storage#changes()}): what the HTTP answer cache and the
 * owners' active flags rely on. This process's commits are told by the first catch-up after the write returned, with
 * no waiting; another process's (a second storage on the same data: another instance, the {@code owners} command)
 * within the bound the adapter states, polled here up to {@link #OTHER_PROCESS_DEADLINE} (not a timing test).
 */
public interface ChangeFeedContract extends StorageContract {

    /** Far above every adapter's stated bound: the test shows the change arrives, not how fast. */
    Duration OTHER_PROCESS_DEADLINE = Duration.ofSeconds(20);

    /** A second storage on the same data, opened as another process would; the test closes it. */
    Storage openAnotherOnTheSameData();

    /** What the listeners were told, in order: "credential X", "owner Y", "anything". */
    final class Told implements ChangeFeed.Listener {
        public final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void credentialChanged(UUID credentialId) {
            told.add("credential " + credentialId);
        }

        @Override
        public void ownerChanged(UUID ownerId) {
            told.add("owner " + ownerId);
        }

        @Override
        public void anythingMayHaveChanged() {
            told.add("anything");
        }
    }

    /** Two growers of one owner, a credential each. */
    record Seeded(ApiOwner owner, LeafUser userA, Credential a, LeafUser userB, Credential b) {
    }

    private Seeded seed() {
        ApiOwner owner = newOwner();
        LeafUser userA = newUser(owner, "Ann", 0);
        LeafUser userB = newUser(owner, "Bob", 1);
        return new Seeded(owner, userA, newCredential(userA, "trimble", null), userB, newCredential(userB, "trimble", null));
    }

    /** Listens, and catches up once: the first look may say "anything" (nothing was kept before it). */
    private Told listen(ChangeFeed feed) {
        Told told = new Told();
        feed.listen(told);
        feed.catchUp();
        told.told.clear();
        return told;
    }

    @Test
    default void thisProcessesCommits_areToldByTheNextCatchUp_eachByItsId() {
        Seeded s = seed();
        ChangeFeed feed = storage().changes().orElseThrow();
        Told told = listen(feed);
        storage().credentials().finishRefresh(s.a().id(), s.a().version(), CredentialStatus.INVALID, "revoked", null, 1,
                StorageContract.at(5), null, List.of());
        feed.catchUp(); // no waiting: a client that writes and then reads must see its write
        assertTrue(told.told.contains("credential " + s.a().id()), told.told.toString());
        storage().owners().setDisabled(s.owner().id(), true);
        feed.catchUp();
        assertTrue(told.told.contains("owner " + s.owner().id()), told.told.toString());
        assertFalse(told.told.contains("credential " + s.b().id()), "only what changed: " + told.told);
        assertFalse(told.told.contains("anything"), "only what changed: " + told.told);
    }

    @Test
    default void aUsersDeletion_tellsItsCredentials() {
        Seeded s = seed();
        ChangeFeed feed = storage().changes().orElseThrow();
        Told told = listen(feed);
        assertTrue(storage().users().delete(s.owner().id(), s.userB().id()));
        feed.catchUp();
        assertTrue(told.told.contains("credential " + s.b().id()), told.told.toString());
        assertFalse(told.told.contains("credential " + s.a().id()), told.told.toString());
    }

    @Test
    default void anotherProcessesCommits_areToldByCredentialAndOwner() throws Exception {
        Seeded s = seed();
        ChangeFeed feed = storage().changes().orElseThrow();
        Told told = listen(feed);
        try (Storage other = openAnotherOnTheSameData()) {
            assertTrue(other.owners().setDisabled(s.owner().id(), true)); // the owners command
            assertTrue(other.credentials().delete(s.owner().id(), s.userB().id(), "trimble")); // another instance
        }
        List<String> expected = List.of("owner " + s.owner().id(), "credential " + s.b().id());
        long deadline = System.nanoTime() + OTHER_PROCESS_DEADLINE.toNanos();
        while (!told.told.containsAll(expected) && System.nanoTime() < deadline) {
            feed.catchUp();
            Thread.sleep(5);
        }
        assertTrue(told.told.containsAll(expected), "told " + told.told + ", expected " + expected);
        assertFalse(told.told.contains("credential " + s.a().id()), told.told.toString());
    }
}
