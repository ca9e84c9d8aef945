package io.orchestry.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of {@code /proc/<pid>/stat} Orchestry uses (proc(5) numbering in brackets).
 *
 * @param state     [3] R, S, D, Z (zombie), T, ...
 * @param pgrp      [5] the process group; equal to pid for a group leader
 * @param utime     [14] user CPU in clock ticks
 * @param stime     [15] system CPU in clock ticks
 * @param startTime [22] when it started, in clock ticks after boot: with the pid, a process's identity (a reused pid
 *                  has another start time)
 */
public record ProcStat(long pid, char state, long ppid, long pgrp, long utime, long stime, long startTime) {

    /** Parses one stat line; the command name (field 2) may hold spaces and parentheses, so fields count from its last ')'. */
    public static ProcStat parse(String line) {
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + line);
        }
        long pid = Long.parseLong(line.substring(0, open).trim());
        String[] rest = line.substring(close + 1).trim().split(" +");
        // rest[0] is field 3
        return new ProcStat(pid, rest[0].charAt(0), Long.parseLong(rest[1]), Long.parseLong(rest[2]),
                Long.parseLong(rest[11]), Long.parseLong(rest[12]), Long.parseLong(rest[19]));
    }

    /** The process's stat now; empty when there is no such process (or no /proc). */
    public static Optional<ProcStat> read(long pid) {
        try {
            return Optional.of(parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII)));
        } catch (IOException | RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** Whether it runs (exists and is not a zombie waiting to be reaped). */
    public boolean alive() {
        return state != 'Z' && state != 'X';
    }

    public boolean leadsItsGroup() {
        return pgrp == pid;
    }
}
