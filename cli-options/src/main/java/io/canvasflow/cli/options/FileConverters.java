package io.canvasflow.cli.options;

import java.io.IOException;
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
     * A file a command will write: not a folder; when it exists, one this user may write, else one
     * it may create (not under a file, in a folder it may write in).
     */
    public static final class OutputFile implements ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            Path path = path(value);
            if (Files.isDirectory(path)) {
                throw new TypeConversionException(
                        value + " is a folder; give the path of a file to write");
            }
            if (Files.exists(path)) {
                // /dev/stdout, or a file made for the user in a folder they may not write in
                if (!Files.isWritable(path)) {
                    throw new TypeConversionException(
                            value + " cannot be written by this user; give a file you can write");
                }
                return path;
            }
            refuseIf(problem(value, path.toAbsolutePath().getParent(), true));
            return path;
        }
    }

    /**
     * A folder a command will write: it may not exist yet, but it must not be a file, nor lie under
     * one, and this user must be able to create it or write in it.
     */
    public static class OutputFolder implements ITypeConverter<Path> {
        private final boolean permission;

        /** The converter picocli makes: shape and permission. */
        public OutputFolder() {
            this(true);
        }

        OutputFolder(boolean permission) {
            this.permission = permission;
        }

        @Override
        public Path convert(String value) {
            Path path = shape(value);
            refuseIf(problem(value, path.toAbsolutePath(), permission));
            return path;
        }
    }

    /**
     * An output folder whose option has a default, checked for its shape only: not a file, not
     * under one. picocli converts a default value even for {@code --help}, so whether this user may
     * write there is the command's check when it runs, {@link #folderProblem}.
     */
    public static final class DefaultedOutputFolder extends OutputFolder {
        /** The converter picocli makes: shape only. */
        public DefaultedOutputFolder() {
            super(false);
        }
    }

    /**
     * Whether this user may create or write in an output folder, for an option with a default.
     *
     * @param folder the folder
     * @param option the option that names it, for the sentence
     * @return the problem in one sentence, or null
     */
    public static String folderProblem(Path folder, String option) {
        String problem = problem(folder.toString(), folder.toAbsolutePath(), true);
        return problem == null ? null : option + " " + problem;
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

    private static Path shape(String value) {
        Path path = path(value);
        if (Files.exists(path) && !Files.isDirectory(path)) {
            throw new TypeConversionException(value + " is a file; give a folder to write");
        }
        return path;
    }

    /**
     * What keeps a folder from being made or written: the nearest part of it that exists is a file,
     * or (with {@code permission}) a folder this user may not write in.
     */
    private static String problem(String value, Path folder, boolean permission) {
        Path existing = folder;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return null;
        }
        if (!Files.isDirectory(existing)) {
            return value + " lies under " + existing + ", which is a file; give a path in a folder";
        }
        if (permission && !canCreateIn(existing)) {
            return value
                    + " cannot be written: this user may not write in "
                    + existing
                    + "; give a folder you can write in";
        }
        return null;
    }

    /**
     * Whether something can be made in a folder. Where the permission bits say no, no; where they
     * say yes, a folder is made and removed, because they do not tell everything: root may write in
     * every folder by its bits, yet nothing can be made in {@code /proc}, and a read-only mount or
     * a full quota refuses whoever asks. The commands found that out only when they wrote.
     */
    private static boolean canCreateIn(Path folder) {
        if (!Files.isWritable(folder)) {
            return false;
        }
        try {
            Files.delete(Files.createTempDirectory(folder, ".canvasflow-check-"));
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static void refuseIf(String problem) {
        if (problem != null) {
            throw new TypeConversionException(problem);
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
