package io.canvasflow.cli.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    @Test
    void shouldReadEachUnitAndIso() {
        DurationConverter c = new DurationConverter();

        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofSeconds(90), c.convert("1.5m"));
        assertEquals(Duration.ofHours(2), c.convert("2h"));
        assertEquals(Duration.ofSeconds(30), c.convert("PT30S"));
    }

    @Test
    void shouldRefuseADurationTooLongToWaitInNanoseconds() {
        // 3,000,000 h is past the 292 years a wait in nanoseconds holds: an ArithmeticException
        // late in the run, where it is now refused as the option is read
        for (String typo : new String[] {"3000000h", "PT3000000H"}) {
            TypeConversionException e =
                    assertThrows(
                            TypeConversionException.class,
                            () -> new DurationConverter().convert(typo));
            assertEquals(
                    "expected a duration of at most 100000h but found '" + typo + "'",
                    e.getMessage());
        }
        assertEquals(DurationConverter.MAX, new DurationConverter().convert("100000h"));
    }
}
