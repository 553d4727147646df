/**
 * The server's Netty event loops and socket transport ({@code network.transport}: epoll or NIO),
 * which every listener takes its bootstrap from. No protocol of its own.
 */
package org.parley.eventloop;
