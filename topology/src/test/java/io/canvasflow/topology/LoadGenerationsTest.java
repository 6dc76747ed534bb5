package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which loads of a version the router still wants, once the version is removed and forgotten. */
class LoadGenerationsTest {

    private final LoadGenerations loads = new LoadGenerations();

    @Test
    void shouldKeepALoadStaleOnceItsVersionIsForgottenAndPublishedAgain() {
        // Given a load of B's publication under way
        loads.next("b");
        long first = loads.start("b");
        assertTrue(loads.isCurrent("b", first));

        // When B is removed (forgotten), then published again
        loads.forget("b");
        boolean currentOnceRemoved = loads.isCurrent("b", first);
        boolean loadingOnceRemoved = loads.loading("b");
        loads.next("b");

        // Then that load is stale all along, and no load of the new publication is under way
        assertFalse(currentOnceRemoved);
        assertFalse(loadingOnceRemoved);
        assertFalse(loads.isCurrent("b", first));
        assertFalse(loads.loading("b"));
    }

    @Test
    void shouldKeepALoadAskedBeforeItsVersionWasAnnouncedStaleOnceTheVersionIsForgotten() {
        // Given a load of B asked by a frame before the follower's announcement of B took the lock
        long early = loads.start("b");

        // When B is announced, then removed (forgotten)
        loads.next("b");
        loads.forget("b");

        // Then that load is not taken for a current one
        assertFalse(loads.isCurrent("b", early));
        assertFalse(loads.loading("b"));
    }
}
