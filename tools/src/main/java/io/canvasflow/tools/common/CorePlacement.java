package io.canvasflow.tools.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Which cores a benchmark's broker and its stream processor run on. On a small machine the broker
 * and the model otherwise share every core, and what a run measures is core sharing rather than
 * what Kafka costs a stream thread; pinned, the broker's child JVM gets the last core and the
 * stream processor (a child, or this process's model and stream threads) the others, through
 * Linux's {@code taskset}. The benchmark's own threads, which publish frames and read masks, stay
 * beside the broker, so that the processor's cores run only what a deployed processor runs.
 *
 * @param pinned whether the two are on separate cores
 * @param processorCores the cores of the stream processor (all, when not pinned)
 * @param brokerCores the broker's cores (all, when not pinned)
 * @param why how the placement came about, for the report
 */
public record CorePlacement(
        boolean pinned, List<Integer> processorCores, List<Integer> brokerCores, String why) {

    /** Copies the lists. */
    public CorePlacement {
        processorCores = List.copyOf(processorCores);
        brokerCores = List.copyOf(brokerCores);
    }

    /**
     * Everything on every core this process may use.
     *
     * @param why the reason, for the report
     * @return the placement
     */
    public static CorePlacement shared(String why) {
        List<Integer> all = allowedCores();
        return new CorePlacement(false, all, all, why);
    }

    /**
     * The broker on the last allowed core and the processor on the rest, when {@code taskset}
     * exists and there are at least two cores; otherwise shared, saying why.
     *
     * @return the placement
     */
    public static CorePlacement separate() {
        List<Integer> all = allowedCores();
        if (all.size() < 2) {
            return shared("one core only: broker and processor share it");
        }
        if (!tasksetWorks()) {
            return shared("taskset is not available: broker and processor share every core");
        }
        return new CorePlacement(
                true,
                all.subList(0, all.size() - 1),
                List.of(all.get(all.size() - 1)),
                "broker pinned to core "
                        + all.get(all.size() - 1)
                        + ", processor to cores "
                        + list(all.subList(0, all.size() - 1)));
    }

    /**
     * The machine as this placement found it: every core the process could use before anything was
     * pinned, the processor's and the broker's together. Once {@link
     * #pinThisProcessBesideTheBroker} has run, the JVM's own processor count is the broker's cores
     * only.
     *
     * @return the cores, in order
     */
    public List<Integer> machineCores() {
        return Stream.concat(processorCores.stream(), brokerCores.stream())
                .distinct()
                .sorted()
                .toList();
    }

    /** What a child command starts with to run on the broker's cores ({@code taskset -c N}). */
    public List<String> brokerPrefix() {
        return pinned ? List.of("taskset", "-c", list(brokerCores)) : List.of();
    }

    /** What a child command starts with to run on the processor's cores. */
    public List<String> processorPrefix() {
        return pinned ? List.of("taskset", "-c", list(processorCores)) : List.of();
    }

    /**
     * Moves every thread of this process to the broker's cores, beside the broker: the benchmark's
     * own work (publishing frames, reading masks, the JVM's compiler and collector threads) then
     * stays off the processor's cores, and a model thread or a stream app is put there with {@link
     * #onProcessorCores}. Does nothing when not pinned.
     *
     * @throws IllegalStateException when taskset fails
     */
    public void pinThisProcessBesideTheBroker() {
        if (pinned) {
            run(taskset(true, brokerCores, Long.toString(ProcessHandle.current().pid())));
        }
    }

    /**
     * Runs something on the processor's cores: this thread moves there for the call, so that the
     * threads it starts (a model worker, Kafka Streams' stream, producer and state threads) inherit
     * the processor's cores, then moves back to the cores it had. Runs it in place when not pinned.
     *
     * @param start what to run
     * @param <T> what it returns
     * @return what it returned
     * @throws IllegalStateException when taskset fails
     */
    public <T> T onProcessorCores(Supplier<T> start) {
        if (!pinned) {
            return start.get();
        }
        String thread = currentThreadId();
        List<Integer> before = coresOf(Path.of("/proc/thread-self/status"));
        run(taskset(false, processorCores, thread));
        try {
            return start.get();
        } finally {
            run(taskset(false, before, thread));
        }
    }

    /**
     * Moves the calling thread, and the threads it starts from now on, to the processor's cores.
     * Does nothing when not pinned.
     *
     * @throws IllegalStateException when taskset fails
     */
    public void pinThisThreadToProcessorCores() {
        if (pinned) {
            run(taskset(false, processorCores, currentThreadId()));
        }
    }

    /** {@code taskset -p -c CORES ID}, with {@code -a} for every thread of a process. */
    private static List<String> taskset(boolean allThreads, List<Integer> cores, String id) {
        List<String> command = new ArrayList<>(List.of("taskset"));
        if (allThreads) {
            command.add("-a");
        }
        command.addAll(List.of("-p", "-c", list(cores), id));
        return command;
    }

    /** The kernel's id of the calling thread: {@code /proc/thread-self} links to pid/task/tid. */
    private static String currentThreadId() {
        try {
            return Path.of("/proc/thread-self").toRealPath().getFileName().toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/thread-self: " + e.getMessage(), e);
        }
    }

    /** One line for a report: pinned or shared, and which cores. */
    public String describe() {
        return why;
    }

    /**
     * The placement as the benchmarks' JSON writes it.
     *
     * @return {@code pinned}, {@code processorCores}, {@code brokerCores} and {@code description}
     *     ({@link #describe}), in that order
     */
    public Map<String, Object> json() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pinned", pinned);
        json.put("processorCores", processorCores);
        json.put("brokerCores", brokerCores);
        json.put("description", describe());
        return json;
    }

    private static String list(List<Integer> cores) {
        return cores.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The cores this process may run on, from {@code /proc/self/status}; 0..n-1 elsewhere. */
    static List<Integer> allowedCores() {
        try {
            return coresOf(Path.of("/proc/self/status"));
        } catch (IllegalStateException e) {
            // not Linux: fall through
        }
        List<Integer> cores = new ArrayList<>();
        for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
            cores.add(i);
        }
        return cores;
    }

    /**
     * The cores a process or thread may run on, from its {@code status} file under {@code /proc}.
     *
     * @throws IllegalStateException when the file is missing or has no CPU list
     */
    static List<Integer> coresOf(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot read the CPU list in " + status, e);
        }
        throw new IllegalStateException("no CPU list in " + status);
    }

    /** Parses a kernel CPU list such as {@code 0-3,6}. */
    static List<Integer> parseList(String text) {
        List<Integer> cores = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] range = part.trim().split("-");
            int from = Integer.parseInt(range[0]);
            int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
            for (int c = from; c <= to; c++) {
                cores.add(c);
            }
        }
        return cores;
    }

    private static boolean tasksetWorks() {
        try {
            run(List.of("taskset", "-p", Long.toString(ProcessHandle.current().pid())));
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + String.join(" ", command), e);
        }
    }
}
