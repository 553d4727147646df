package org.parley.config;

import java.util.List;

/** {@code network.*}: which of Netty's socket transports every listener of the server runs on. */
public record NetworkSettings(SectionValues values) {

    static final Option<String> TRANSPORT = Option.choice("transport", "auto", List.of("auto", "epoll", "nio"),
            "the socket transport of every listener: Linux's epoll through Netty's native transport, or the JDK's"
                    + " NIO; auto is epoll where it loads, else NIO");

    public static final Section SECTION = Section.of("network", TRANSPORT);

    /** auto, epoll or nio. */
    public String transport() {
        return values.get(TRANSPORT);
    }
}
