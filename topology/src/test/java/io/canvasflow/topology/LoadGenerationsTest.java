package io.canvasflow.topology;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
    void shouldRefuseToStampALoadOfAVersionNotAnnouncedOrForgotten() {
        // Given B never announced, and C announced, then removed (forgotten)
        loads.next("c");
        loads.forget("c");

        // When a load of either is stamped, Then it is refused: stamped 0, it would pass for a
        // load of the current generation of a version the table no longer holds
        assertThrows(IllegalStateException.class, () -> loads.start("b"));
        assertThrows(IllegalStateException.class, () -> loads.start("c"));
        assertFalse(loads.loading("b"));
        assertFalse(loads.loading("c"));
    }
}
