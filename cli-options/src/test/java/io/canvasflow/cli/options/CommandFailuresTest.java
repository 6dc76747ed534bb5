package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandFailuresTest {

    private static final long MIB = 1L << 20;

    @Test
    void shouldSayTheHeapAsTheLauncherAskedForItBelowAGibibyte() {
        // Given the launcher's -Xmx from CANVASFLOW_HEAP=256m, and Serial's maxMemory without
        // a survivor space
        List<String> arguments = List.of("-Xmx256m", "-Dai.djl.offline=true");

        // When the heap is said
        String heap = CommandFailures.heap(arguments, 247 * MIB);

        // Then it is what was asked for, in MiB (it was "0.3 GiB", or 0.2 under Serial)
        assertEquals("256 MiB", heap);
    }

    @Test
    void shouldSayTheLastMaximumHeapFlagAsJavaTakesIt() {
        // Given the launcher's -Xmx and a later one from JAVA_OPTS, which java takes
        List<String> arguments = List.of("-Xmx6g", "-XX:+UseSerialGC", "-Xmx1536M");

        // When the heap is said
        String heap = CommandFailures.heap(arguments, 1400 * MIB);

        // Then it is the later one
        assertEquals("1.5 GiB", heap);
    }

    @Test
    void shouldSayWholeGibibytesWithoutADecimal() {
        // Given -XX:MaxHeapSize in gibibytes
        List<String> arguments = List.of("-XX:MaxHeapSize=2g");

        // When the heap is said
        String heap = CommandFailures.heap(arguments, 1900 * MIB);

        // Then it is a whole number
        assertEquals("2 GiB", heap);
    }

    @Test
    void shouldSayWhatTheJvmReportsWithoutAMaximumHeapFlag() {
        // Given no heap flag (java started without the launcher)
        List<String> arguments = List.of("-Dfoo=bar");

        // When the heap is said
        String heap = CommandFailures.heap(arguments, 512 * MIB);

        // Then it is the JVM's figure, in MiB
        assertEquals("512 MiB", heap);
    }

    @Test
    void shouldNameTheExceptionWhenItHasNoMessage() {
        // Given an exception with no message
        // When it is described
        String text = CommandFailures.describe(new NullPointerException());

        // Then it is its class's name
        assertEquals("NullPointerException", text);
    }
}
