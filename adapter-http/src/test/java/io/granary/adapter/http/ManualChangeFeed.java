package io.granary.adapter.http;

import io.granary.core.port.out.ChangeFeed;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A change feed the test drives: the in-memory stores have none, so a test changes things behind the API's back and
 * says what changed, and the API hears of it at its next catch-up, as it would from storage. SQLite's feed itself is
 * tested in adapter-sqlite (ChangeWatchTest), the two together in the app's ITs.
 */
final class ManualChangeFeed implements ChangeFeed {

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<Consumer<Listener>> told = new ConcurrentLinkedQueue<>();
    final AtomicInteger catchUps = new AtomicInteger();

    void credentialChanged(UUID id) {
        told.add(l -> l.credentialChanged(id));
    }

    void ownerChanged(UUID id) {
        told.add(l -> l.ownerChanged(id));
    }

    void anythingMayHaveChanged() {
        told.add(Listener::anythingMayHaveChanged);
    }

    @Override
    public void listen(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public synchronized void catchUp() {
        catchUps.incrementAndGet();
        Consumer<Listener> change;
        while ((change = told.poll()) != null) {
            listeners.forEach(change);
        }
    }
}
