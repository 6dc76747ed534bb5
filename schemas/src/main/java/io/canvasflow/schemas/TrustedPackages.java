package io.canvasflow.schemas;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Lets Avro 1.12's {@code SpecificDatumReader} instantiate the generated CanvasFlow classes.
 *
 * <p>Avro only loads record classes from trusted packages. Its system property {@code
 * org.apache.avro.SERIALIZABLE_PACKAGES} is read once, when Avro's validator class initializes, so
 * this both appends the package to the property (for code that reads it later) and adds a predicate
 * to the validator that is already installed, keeping whatever was trusted before.
 */
final class TrustedPackages {

    /** Package of the generated record classes. */
    static final String GENERATED_PACKAGE = "io.canvasflow.schemas.avro";

    static final String PROPERTY = "org.apache.avro.SERIALIZABLE_PACKAGES";

    private static boolean done;

    private TrustedPackages() {}

    static synchronized void ensureTrusted() {
        if (done) {
            return;
        }
        String current = System.getProperty(PROPERTY);
        if (current == null || current.isBlank()) {
            System.setProperty(PROPERTY, GENERATED_PACKAGE);
        } else if (!containsEntry(current)) {
            System.setProperty(PROPERTY, current + "," + GENERATED_PACKAGE);
        }
        ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(previous, TrustedPackages::isGenerated));
        done = true;
    }

    private static boolean isGenerated(Class<?> type) {
        return type.getName().startsWith(GENERATED_PACKAGE + ".");
    }

    private static boolean containsEntry(String property) {
        for (String entry : property.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.equals("*") || trimmed.equals(GENERATED_PACKAGE)) {
                return true;
            }
        }
        return false;
    }
}
