package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class HttpRequestLimitsTest {

    @Test
    void shouldSetTheRequestTimeLimitUnlessTheJvmWasGivenOne() {
        // Given system properties without the JDK server's limit, and some with one given
        Properties none = new Properties();
        Properties given = new Properties();
        given.setProperty("sun.net.httpserver.maxReqTime", "3");

        // When a server is about to start in each
        String set = HttpRequestLimits.requestSeconds(none);
        String kept = HttpRequestLimits.requestSeconds(given);

        // Then the first gets 10 s, the JDK's unit being seconds, and the given one is kept
        assertEquals(
                List.of("10", "10", "3", "3"),
                List.of(
                        set,
                        none.getProperty("sun.net.httpserver.maxReqTime"),
                        kept,
                        given.getProperty("sun.net.httpserver.maxReqTime")));
    }
}
