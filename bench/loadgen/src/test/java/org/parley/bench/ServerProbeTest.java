package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerProbeTest {
    @Test
    void serialHeapIsTheSumOfItsGenerations() {
        String info = """
                 def new generation   total 59008K, used 1200K [0x...)
                  eden space 52480K,   2% used
                 tenured generation   total 131072K, used 22000K [0x...)
                """;
        assertThat(ServerProbe.heapUsedKb(info)).isEqualTo(23200);
    }

    @Test
    void g1HeapIsReadFromItsCommittedLine() {
        String info = "garbage-first heap   total reserved 65536K, committed 65536K, used 2190K [0x00000000fc000000)\n"
                + " region size 1024K, 1 young (1024K), 0 survivors (0K)\n";
        assertThat(ServerProbe.heapUsedKb(info)).isEqualTo(2190);
    }

    @Test
    void zgcHeapIsReadInMegabytes() {
        String info = "ZHeap            used 198M, capacity 346M, max capacity 1024M\n Cache           148M (2)\n";
        assertThat(ServerProbe.heapUsedKb(info)).isEqualTo(198 * 1024);
    }

    @Test
    void noHeapLineIsMinusOne() {
        assertThat(ServerProbe.heapUsedKb("24078:\nCommand not found\n")).isEqualTo(-1);
    }
}
