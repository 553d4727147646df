package org.parley.eventloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.parley.eventloop.EventLoops.Transport;

/** network.transport: auto is epoll wherever its native library loads, NIO otherwise or when asked. */
class EventLoopsTest {

    @Test
    void autoIsEpollWhereItLoadsAndNioElsewhere() {
        assertThat(EventLoops.choose("auto", true)).isEqualTo(Transport.EPOLL);
        assertThat(EventLoops.choose("auto", false)).isEqualTo(Transport.NIO);
        assertThat(EventLoops.choose("nio", true)).isEqualTo(Transport.NIO);
        assertThat(EventLoops.choose("epoll", true)).isEqualTo(Transport.EPOLL);
    }

    @Test
    void epollWhereItDoesNotLoadStopsStartUp() {
        assertThatThrownBy(() -> EventLoops.choose("epoll", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("network.transport");
    }

    /** The server is built for Linux on x86-64 and ARM64: there the native library must load, or auto silently falls back. */
    @Test
    void epollLoadsOnThisLinux() {
        String arch = System.getProperty("os.arch");
        if (System.getProperty("os.name").startsWith("Linux") && (arch.equals("amd64") || arch.equals("aarch64"))) {
            assertThat(Epoll.isAvailable()).as("Netty's epoll: %s", Epoll.unavailabilityCause()).isTrue();
        }
    }

    @Test
    void listenersBindTheChosenTransportsChannel() throws Exception {
        for (String setting : new String[] {"nio", "auto"}) {
            EventLoops loops = EventLoops.start(setting);
            try {
                var channel = loops.serverBootstrap()
                        .childHandler(new io.netty.channel.ChannelInboundHandlerAdapter())
                        .bind("127.0.0.1", 0).sync().channel();
                assertThat(channel).isInstanceOf(loops.transport() == Transport.EPOLL
                        ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
                channel.close().sync();
            } finally {
                loops.close();
            }
        }
    }
}
