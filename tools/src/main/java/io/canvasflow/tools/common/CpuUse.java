package io.canvasflow.tools.common;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the processor time of a stretch of a run went: the threads that run the model (stream
 * threads), the Kafka client threads, the rest of this JVM's Java threads (in a benchmark, mostly
 * the embedded broker), the JVM's native threads (PyTorch's intra-op workers, the garbage
 * collector, the JIT compilers) and the machine's other processes; and how much of the machine
 * stayed idle. A run that is slower than the bare model while cores stay idle waits on something;
 * one that keeps every core busy shares them.
 *
 * <p>Per-thread times come from {@link ThreadMXBean}, the process's from the operating system bean,
 * the machine's from the per-core lines of {@code /proc/stat} (absent elsewhere: the machine
 * figures are then NaN). The machine is the cores the caller names, those the process could use
 * before a benchmark pinned it anywhere ({@link CorePlacement#machineCores()}): the JVM's own
 * processor count follows the pinning, and a busy share of two cores set against a count of one
 * would make half the machine disappear from the others and idle columns. A thread that ends
 * between the two snapshots is not counted in its group (its time stays in the process total, under
 * native).
 */
public final class CpuUse {

    /** What a Java thread is, by its name. */
    public enum Group {
        /**
         * The threads that run the model: Kafka Streams stream threads (the whole topology), or a
         * thread named with {@link #MODEL_THREAD_PREFIX}.
         */
        MODEL_THREADS,
        /** Kafka producer, consumer and admin client I/O threads and the mask collector. */
        KAFKA_CLIENTS,
        /** Every other Java thread: the embedded broker's, the benchmark's own. */
        OTHER_JAVA
    }

    /** Names a thread that runs the model outside Kafka Streams (the bare model's). */
    public static final String MODEL_THREAD_PREFIX = "canvasflow-model-";

    private static final Pattern STREAM_THREAD = Pattern.compile(".*-StreamThread-\\d+$");
    private static final Path PROC_STAT = Path.of("/proc/stat");

    /**
     * A point in time to measure from.
     *
     * @param wallNanos {@link System#nanoTime()}
     * @param processCpuNanos this process's processor time, -1 if unknown
     * @param threadCpuNanos per live Java thread id, its processor time
     * @param threadNames per live Java thread id, its name
     * @param machineBusyTicks the machine cores' non-idle clock ticks since boot, -1 if unknown
     * @param machineTotalTicks all their clock ticks since boot, -1 if unknown
     * @param machineCores how many cores the ticks are of
     */
    public record Snapshot(
            long wallNanos,
            long processCpuNanos,
            Map<Long, Long> threadCpuNanos,
            Map<Long, String> threadNames,
            long machineBusyTicks,
            long machineTotalTicks,
            int machineCores) {}

    /**
     * The processor time between two snapshots, in milliseconds.
     *
     * @param wallMs elapsed time
     * @param byGroup per group of Java threads
     * @param nativeMs the process's time outside its Java threads (PyTorch, GC, JIT), NaN if
     *     unknown
     * @param processMs the process's total, NaN if unknown
     * @param machineBusyShare the share of the machine's cores that were busy, NaN if unknown
     * @param cores the machine's cores, which the busy share is of (not the JVM's processor count,
     *     which a pinned process sees shrink)
     */
    public record Usage(
            double wallMs,
            Map<Group, Double> byGroup,
            double nativeMs,
            double processMs,
            double machineBusyShare,
            int cores) {

        /** Copies the map. */
        public Usage {
            byGroup = Map.copyOf(byGroup);
        }

        /**
         * A group's time.
         *
         * @param group the group
         * @return milliseconds, 0 when no thread of the group ran
         */
        public double ms(Group group) {
            return byGroup.getOrDefault(group, 0.0);
        }

        /**
         * Time spread over the measured span: how many cores it kept busy on average.
         *
         * @param ms a time out of this usage, in milliseconds
         * @return cores busy on average
         */
        public double busyCores(double ms) {
            return ms / wallMs;
        }

        /** The machine's busy time spent by other processes, in milliseconds; NaN if unknown. */
        public double otherProcessesMs() {
            double machineMs = machineBusyShare * cores * wallMs;
            return Double.isFinite(machineMs) && Double.isFinite(processMs)
                    ? Math.max(0, machineMs - processMs)
                    : Double.NaN;
        }
    }

    private CpuUse() {}

    /**
     * Takes a snapshot now.
     *
     * @param machineCores the cores that make the machine: those this process could use before
     *     anything was pinned
     * @return the snapshot
     */
    public static Snapshot snapshot(Collection<Integer> machineCores) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        if (threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
            for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
                if (info == null) {
                    continue;
                }
                long t = threads.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                    names.put(info.getThreadId(), info.getThreadName());
                }
            }
        }
        long process = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            process = os.getProcessCpuTime();
        }
        long[] machine = machineTicks(procStat(), machineCores);
        return new Snapshot(
                System.nanoTime(),
                process,
                cpu,
                names,
                machine[0],
                machine[1],
                machineCores.size());
    }

    /**
     * The processor time spent between two snapshots.
     *
     * @param from the earlier snapshot
     * @param to the later one
     * @return the usage
     */
    public static Usage between(Snapshot from, Snapshot to) {
        Map<Group, Double> groups = new EnumMap<>(Group.class);
        double javaMs = 0;
        for (Map.Entry<Long, Long> e : to.threadCpuNanos().entrySet()) {
            long before = from.threadCpuNanos().getOrDefault(e.getKey(), 0L);
            double ms = (e.getValue() - before) / 1e6;
            javaMs += ms;
            groups.merge(group(to.threadNames().get(e.getKey())), ms, Double::sum);
        }
        double processMs =
                from.processCpuNanos() < 0 || to.processCpuNanos() < 0
                        ? Double.NaN
                        : (to.processCpuNanos() - from.processCpuNanos()) / 1e6;
        long busy = to.machineBusyTicks() - from.machineBusyTicks();
        long total = to.machineTotalTicks() - from.machineTotalTicks();
        double machine =
                from.machineTotalTicks() < 0 || to.machineTotalTicks() < 0 || total <= 0
                        ? Double.NaN
                        : (double) busy / total;
        return new Usage(
                (to.wallNanos() - from.wallNanos()) / 1e6,
                groups,
                Double.isFinite(processMs) ? Math.max(0, processMs - javaMs) : Double.NaN,
                processMs,
                machine,
                to.machineCores());
    }

    /**
     * The group of a Java thread, by its name.
     *
     * @param name the thread's name
     * @return its group
     */
    public static Group group(String name) {
        if (name == null) {
            return Group.OTHER_JAVA;
        }
        if (STREAM_THREAD.matcher(name).matches() || name.startsWith(MODEL_THREAD_PREFIX)) {
            return Group.MODEL_THREADS;
        }
        if (name.startsWith("kafka-producer-network-thread")
                || name.startsWith("kafka-admin-client-thread")
                || name.startsWith("kafka-coordinator-heartbeat-thread")
                || name.startsWith("consumer_background_thread")
                || name.startsWith("mask-collector-")) {
            return Group.KAFKA_CLIENTS;
        }
        return Group.OTHER_JAVA;
    }

    /** The lines of /proc/stat, or none where it cannot be read (not Linux). */
    private static List<String> procStat() {
        try {
            return Files.readAllLines(PROC_STAT);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    /**
     * The busy and total clock ticks of some cores, from their {@code cpuN} lines of {@code
     * /proc/stat}.
     *
     * @param procStat the file's lines
     * @param cores the cores to add up
     * @return busy and total ticks, or -1s when a core has no line
     */
    static long[] machineTicks(List<String> procStat, Collection<Integer> cores) {
        Set<String> wanted = new HashSet<>();
        cores.forEach(c -> wanted.add("cpu" + c));
        long busy = 0;
        long total = 0;
        int found = 0;
        try {
            for (String line : procStat) {
                String[] f = line.trim().split("\\s+");
                if (!wanted.contains(f[0])) {
                    continue;
                }
                long idle = 0;
                long all = 0;
                // user nice system idle iowait irq softirq steal (guest time is in user)
                for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
                    long v = Long.parseLong(f[i]);
                    all += v;
                    if (i == 4 || i == 5) {
                        idle += v;
                    }
                }
                busy += all - idle;
                total += all;
                found++;
            }
        } catch (RuntimeException e) {
            // a line not as expected: the machine figures stay unknown
            return new long[] {-1, -1};
        }
        return found == wanted.size() && found > 0 ? new long[] {busy, total} : new long[] {-1, -1};
    }
}
