package io.canvasflow.cli.options;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Path options checked as they are parsed, so that a command refuses a wrong one before it starts
 * any work: a benchmark that only finds out at the end that its {@code --json} names a folder has
 * thrown its figures away.
 */
public final class FileConverters {

    private FileConverters() {}

    /**
     * A file a command will write: it may not exist yet, but it must not be a folder, and its
     * folder must be one the command can create or write in.
     */
    public static final class OutputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (Files.isDirectory(path)) {
                throw new TypeConversionException(
                        value + " is a folder; give the path of a file to write");
            }
            refuseUnwritable(value, path.toAbsolutePath().getParent());
            return path;
        }
    }

    /**
     * A folder a command will write: it may not exist yet, but it must not be a file, nor lie under
     * one, and the command must be able to create it or write in it.
     */
    public static final class OutputFolder implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (Files.exists(path) && !Files.isDirectory(path)) {
                throw new TypeConversionException(value + " is a file; give a folder to write");
            }
            refuseUnwritable(value, path.toAbsolutePath());
            return path;
        }
    }

    /** A file a command will read: it must exist and be a readable file. */
    public static final class InputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw new TypeConversionException(
                        "no readable file at " + value + "; give the path of a file");
            }
            return path;
        }
    }

    /**
     * Refuses a folder that cannot be written: the nearest part of it that exists is a file, or a
     * folder this process may not write in.
     */
    private static void refuseUnwritable(String value, Path folder) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return;
        }
        if (!Files.isDirectory(existing)) {
            throw new TypeConversionException(
                    value
                            + " lies under "
                            + existing
                            + ", which is a file; give a path in a folder");
        }
        if (!Files.isWritable(existing)) {
            throw new TypeConversionException(
                    value + " cannot be written: this user may not write in " + existing);
        }
    }

    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException(value + " is not a path: " + e.getReason());
        }
    }
}
