package io.orchestry.process;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatTest {
    @Test
    void parse_commandWithSpacesAndParentheses_countsFieldsFromTheLastParenthesis() {
        String line = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1234 0 0 0 150 25 0 0 20 0 31 0 987654 "
                + "4000000000 50000 18446744073709551615 1 1 0 0 0 0 0 4096 17003 0 0 0 17 1 0 0 0 0 0";

        ProcStat stat = ProcStat.parse(line);

        assertEquals(4242, stat.pid());
        assertEquals('S', stat.state());
        assertEquals(1, stat.ppid());
        assertEquals(4242, stat.pgrp());
        assertEquals(150, stat.utime());
        assertEquals(25, stat.stime());
        assertEquals(987654, stat.startTime());
        assertTrue(stat.leadsItsGroup());
        assertTrue(stat.alive());
    }

    @Test
    void parse_zombie_isNotAlive() {
        assertFalse(ProcStat.parse("7 (x) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5 0 0").alive());
    }

    @Test
    void read_ownProcess_matchesProcessHandle_andMissingPidIsEmpty() {
        ProcStat self = ProcStat.read(ProcessHandle.current().pid()).orElseThrow();

        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertTrue(self.startTime() > 0);
        assertTrue(ProcStat.read(Integer.MAX_VALUE).isEmpty());
    }
}
