package io.granary.core.port.out;

import java.util.UUID;

/**
 * Tells copies kept in memory (API answers, owners' active flags) which stored things changed, so that each drops
 * exactly what changed instead of everything on any write. Changes committed by any process sharing the storage
 * count: a second instance, or the {@code owners} command disabling an owner.
 */
public interface ChangeFeed {

    /** Told of changes on the thread that calls {@link #catchUp()}; must be quick and must not call back into storage. */
    interface Listener {

        /**
         * The credential's row changed or was deleted (its fields are written together with its row). A refresh lease
         * taken or released alone may go untold: nothing kept shows it.
         */
        void credentialChanged(UUID credentialId);

        /** The owner's row changed (disabled, enabled, deleted). */
        void ownerChanged(UUID ownerId);

        /** Changes may have been missed (this process fell too far behind the record of changes): drop everything. */
        void anythingMayHaveChanged();
    }

    /** Adds a listener; register before serving, since changes are told only once. */
    void listen(Listener listener);

    /**
     * Tells the listeners of every change committed before this call began: those of this process at once, those
     * of other processes within the bound the implementation states. Cheap when nothing changed and never waits for
     * a lock, so it may be called on every request, IO threads included.
     */
    void catchUp();
}
