"""The clients of the cluster soak (bench/cluster-soak.sh): USERS users spread over the nodes of a
Parley cluster, chatting across nodes at a steady RATE while the script kills and restarts nodes
and Redis under them; every message is counted end to end.

Each user is one slixmpp client (Debian's python3-slixmpp) with XEP-0198 that reconnects as a
real client does (one attempt at a time, a short random pause after a loss, exponential backoff
over the nodes after failures) and resumes its session on whichever node answers (--resume 0:
logs in afresh instead, and gets what waited for it as offline messages): the issue's "delivered
live, or among the offline messages at the user's next login". (An earlier version let a
client's loss handlers, slixmpp's own retry loop and a watchdog start connections side by side:
432 bindings for 60 users in one run, sessions replacing their own user's across nodes.) A message counts as accepted once the server acknowledged it (XEP-0198
'h'); one the sender's node died with before acknowledging it is "unconfirmed" (a real client would
send it again), reported apart, not as lost. At the end every client logs out and in once more and
collects its offline messages; a message accepted and never received is lost: the first 50 are
printed, all of them listed in DIR/lost.txt (the chaos lines in the log give the kill times). Prints a progress line every 30 s and a final SOAK line; exit status 1 on loss.

usage: cluster_soak.py --ports P1,P2,P3 --users 60 --messages 100000 --rate 250 --dir DIR
DIR/traffic-done is written when the last message was sent; the script then waits for
DIR/chaos-done (the kills are over, every node is up) before it drains and logs everyone in again.
"""
import argparse
import asyncio
import logging
import os
import random
import sys
import time

import slixmpp
from slixmpp.plugins.xep_0198 import stanza as sm_stanza
from slixmpp.plugins.xep_0198.stream_management import XEP_0198

PROGRESS_SECONDS = 30


def _keep_unacked_on_resume(handle_outgoing):
    """slixmpp 1.8.3 (Debian 12) empties its queue of unacknowledged stanzas when it sends
    <resume/>, so its <resumed/> handler has nothing to send again: a message the server had not
    acknowledged when the connection was lost is silently dropped by the client. Real clients
    (Conversations, Smack, Dino) send such stanzas again after resuming, which is also what tests
    the server's 'h': a count behind shows up as a message received twice with two stanza-ids.
    So the queue survives a <resume/> (it is still emptied on <enable/>, a new session)."""
    def outgoing(self, stanza):
        if isinstance(stanza, sm_stanza.Resume):
            kept = list(self.unacked_queue)
            result = handle_outgoing(self, stanza)
            self.unacked_queue.extend(kept)
            return result
        return handle_outgoing(self, stanza)
    return outgoing


XEP_0198._handle_outgoing = _keep_unacked_on_resume(XEP_0198._handle_outgoing)


class Soak:
    def __init__(self, args):
        self.args = args
        self.ports = [int(p) for p in args.ports.split(',')]
        self.sent = {}          # k -> (sender, recipient, monotonic time sent)
        self.acked = set()
        self.received = {}      # k -> times received
        self.receipts = {}      # k -> [(XEP-0359 stanza-id, delayed, receiving connection's number)] (duplicates' cause)
        self.offline = set()    # k received with a XEP-0203 delay (offline storage, or sent again)
        self.misrouted = 0
        self.latencies = []     # live deliveries, ms
        self.logins = 0         # fresh bindings
        self.resumptions = 0    # XEP-0198 resumptions
        self.attempts = 0       # connection attempts
        self.users = []
        self.start = 0.0


class User(slixmpp.ClientXMPP):
    """One user, reconnecting as a real client does: one connection attempt at a time; after a
    loss it comes back after a short random pause (so that the clients of a dead node do not all
    arrive at once), and after each failed attempt it waits twice as long (capped), trying the
    next node; it resumes its XEP-0198 session when it can, and binds afresh when the server says
    the session is gone."""

    def __init__(self, soak, index):
        name = 'u%05d' % (index + 1)
        super().__init__('%s@%s/soak' % (name, soak.args.domain), soak.args.password)
        self.soak, self.index, self.bare = soak, index, '%s@%s' % (name, soak.args.domain)
        self.port_index = index % len(soak.ports)  # its home node first
        self.failures = 0         # attempts failed in a row since it was last online
        self.connecting = False   # an attempt (connecting, negotiating, logging in) is under way
        self.pending = None       # the scheduled next attempt, if any
        self.ready = False
        self.want_online = True
        self.since = time.monotonic()
        self.register_plugin('xep_0198')
        self.register_plugin('xep_0203')  # delay: offline messages, and stanzas sent again
        self['xep_0198'].allow_resume = soak.args.resume
        self['xep_0198'].window = 10
        self.add_event_handler('session_start', self.started)
        self.add_event_handler('session_resumed', self.resumed)
        self.add_event_handler('message', self.message)
        self.add_event_handler('stanza_acked', self.acked)
        self.add_event_handler('disconnected', self.lost)
        self.add_event_handler('connection_failed', self.failed)

    def go(self):
        if self.connecting or self.ready or not self.want_online:
            return
        self.connecting = True
        self.since = time.monotonic()
        self.soak.attempts += 1
        self.connect(('127.0.0.1', self.soak.ports[self.port_index]), force_starttls=False, disable_starttls=True)

    def online(self):
        self.ready = True
        self.connecting = False
        self.failures = 0

    def started(self, _):
        self.send_presence()  # available: live delivery, and the offline messages
        self.online()
        self.soak.logins += 1

    def resumed(self, _):
        self.online()
        self.soak.resumptions += 1

    def lost(self, _):
        was = self.ready
        self.ready = False
        self.connecting = False
        if not was:
            self.failures += 1
        self.plan_retry()

    def failed(self, _):
        # No TCP connection: stop slixmpp's own retry loop (one attempt at a time, ours).
        self.cancel_connection_attempt()
        self.connecting = False
        self.failures += 1
        self.plan_retry()

    def plan_retry(self):
        if not self.want_online or self.pending is not None:
            return
        if self.failures == 0:
            delay = 0.5 + random.random()  # its node went away: soon, but not all at once
        else:
            self.port_index = (self.port_index + 1) % len(self.soak.ports)  # the next node
            delay = min(30.0, 2.0 ** self.failures) * (0.5 + random.random())
        self.pending = self.loop.call_later(delay, self.retry)

    def retry(self):
        self.pending = None
        self.go()

    def watchdog(self):
        # A login stuck on a node that stopped answering: give it up (the loss starts the next attempt).
        if self.connecting and not self.ready and time.monotonic() - self.since > 30:
            if self.transport:
                self.abort()
            else:
                self.cancel_connection_attempt()
                self.connecting = False
                self.failures += 1
                self.plan_retry()

    def message(self, msg):
        body = msg['body']
        if not body.startswith('soak '):
            return
        k = int(body[5:])
        s = self.soak
        entry = s.sent.get(k)
        if entry is None or entry[1] != self.index:
            s.misrouted += 1
            return
        s.received[k] = s.received.get(k, 0) + 1
        sid = msg.xml.find('{urn:xmpp:sid:0}stanza-id')
        s.receipts.setdefault(k, []).append((sid.get('id') if sid is not None else None,
                                             bool(msg['delay']['stamp']), s.attempts))
        if msg['delay']['stamp']:
            s.offline.add(k)
        elif s.received[k] == 1:
            s.latencies.append((time.monotonic() - entry[2]) * 1000)

    def acked(self, stanza):
        if stanza.name == 'message' and stanza['body'].startswith('soak '):
            self.soak.acked.add(int(stanza['body'][5:]))


def pct(values, p):
    if not values:
        return 0.0
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * p))]


async def wait_online(users, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end and not all(u.ready for u in users):
        for u in users:
            u.watchdog()
            if not u.ready and not u.connecting and u.pending is None:
                u.go()
        await asyncio.sleep(0.5)
    return sum(u.ready for u in users)


async def run(soak):
    a = soak.args
    n = a.users
    users = soak.users = [User(soak, i) for i in range(n)]
    for u in users:
        u.go()
        await asyncio.sleep(1.0 / a.login_rate)
    online = await wait_online(users, 120)
    print('SOAK-START users=%d online=%d nodes=%d messages=%d rate=%g' % (n, online, len(soak.ports), a.messages, a.rate),
          flush=True)
    if online < n:
        print('not every user could log in', file=sys.stderr)
        return 2
    open(os.path.join(a.dir, 'traffic-started'), 'w').close()  # the kills begin
    start = soak.start = time.monotonic()
    last_progress = start
    k = 0
    chaos_done = os.path.join(a.dir, 'chaos-done')
    tail_until = None
    while k < a.messages:
        now = time.monotonic()
        if a.until_chaos_done:
            # Rolling restarts: the load runs until every restart is done, and TAIL seconds more.
            if tail_until is None and os.path.exists(chaos_done):
                tail_until = now + a.tail
            if tail_until is not None and now >= tail_until:
                break
        due = min(int((now - start) * a.rate), a.messages)
        while k < due:
            # round robin over the senders that are online (one whose node is gone is skipped)
            s = next((users[(k + j) % n] for j in range(n) if users[(k + j) % n].ready), None)
            if s is None:
                break
            # a recipient whose home is another node (user i's home is node i % nodes)
            nodes = len(soak.ports)
            r = (s.index + 1 + random.randrange(nodes - 1) + nodes * random.randrange(n // nodes)) % n
            soak.sent[k] = (s.index, r, time.monotonic())
            s.send_message(mto=users[r].bare, mbody='soak %d' % k, mtype='chat')
            k += 1
        for u in users:
            u.watchdog()
        if now - last_progress >= PROGRESS_SECONDS:
            last_progress = now
            progress(soak, k, now - start)
        await asyncio.sleep(0.01)
    sending = time.monotonic() - start
    progress(soak, k, sending)
    open(os.path.join(a.dir, 'traffic-done'), 'w').close()
    print('SOAK-SENT messages=%d seconds=%.1f rate=%.1f' % (k, sending, k / sending), flush=True)

    # The kills are over once every node is up again; then what is on its way drains.
    while not os.path.exists(os.path.join(a.dir, 'chaos-done')):
        for u in users:
            u.watchdog()
        await asyncio.sleep(0.5)
    await wait_online(users, 120)
    for u in users:
        u['xep_0198'].request_ack()  # the acknowledgements of the last few messages sent
    end = time.monotonic() + a.drain
    while time.monotonic() < end and any(x not in soak.received for x in soak.acked):
        await asyncio.sleep(0.5)
    late = sorted(x for x in soak.acked if x not in soak.received)
    pending_before_relogin = len(late)
    # Accepted, not delivered while everyone stayed online: they can only come at the next login
    # (offline storage), which the issue says must not be needed after an outage.
    with open(os.path.join(a.dir, 'late.txt'), 'w') as f:
        for x in late:
            s, r, t = soak.sent[x]
            f.write('LATE soak %d from u%05d to u%05d (home node %d) sent at t=%.1fs\n' % (
                x, s + 1, r + 1, r % len(soak.ports) + 1, t - soak.start))

    # Everyone's next login: what is still in offline storage comes now. Each client first
    # acknowledges what it received (XEP-0198 §4: the server handles what a closed stream left
    # unacknowledged as undeliverable, i.e. stores it offline, and it would come twice); slixmpp
    # does not on its own (a first rolling run counted 187 such messages twice, all here).
    for u in users:
        u.want_online = False
        if u.pending is not None:
            u.pending.cancel()
            u.pending = None
        u['xep_0198'].send_ack()
        u.disconnect(wait=1.0)
    await asyncio.sleep(3)
    for u in users:
        u.event('session_end')  # a new session, not a resumption
        u.want_online = True
        u.ready = u.connecting = False
        u.failures = 0
        u.go()
    await wait_online(users, 120)
    await asyncio.sleep(a.settle)
    report(soak, k, sending, pending_before_relogin)
    for u in users:
        u.want_online = False
        u.disconnect(wait=1.0)
    await asyncio.sleep(1)
    lost = any(x not in soak.received for x in soak.acked)
    twice = any(c > 1 for c in soak.received.values())
    return 1 if lost or (a.exact and twice) else 0


def progress(soak, k, elapsed):
    got = len(soak.received)
    print('SOAK-PROGRESS t=%.0fs sent=%d acked=%d received=%d offline=%d online=%d/%d logins=%d resumptions=%d '
          'attempts=%d live_p99_ms=%.0f'
          % (elapsed, k, len(soak.acked), got, len(soak.offline), sum(u.ready for u in soak.users), len(soak.users),
             soak.logins, soak.resumptions, soak.attempts, pct(soak.latencies[-5000:], 0.99)), flush=True)


def report(soak, k, sending, pending_before_relogin):
    acked = soak.acked
    lost = sorted(x for x in acked if x not in soak.received)
    unconfirmed = [x for x in soak.sent if x not in acked]
    with open(os.path.join(soak.args.dir, 'unconfirmed.txt'), 'w') as f:
        for x in unconfirmed:
            s, r, t = soak.sent[x]
            f.write('UNCONFIRMED soak %d from u%05d to u%05d sent at t=%.1fs%s\n' % (
                x, s + 1, r + 1, t - soak.start, ' (arrived)' if x in soak.received else ''))
    unconfirmed_arrived = sum(1 for x in unconfirmed if x in soak.received)
    twice = sum(1 for c in soak.received.values() if c > 1)
    # A message received twice with one stanza-id was accepted once and delivered twice (the server's
    # doing); with two stanza-ids it was accepted twice (sent again by the client: its 'h' was behind).
    twice_same = sum(1 for x, r in soak.receipts.items() if len(r) > 1 and len({i for i, _, _ in r}) == 1)
    live = sum(1 for x in soak.received if x not in soak.offline)
    print('SOAK messages=%d seconds=%.0f rate=%.1f accepted=%d lost=%d received=%d live=%d offline_or_resent=%d '
          'twice=%d twice_same_stanza_id=%d unconfirmed=%d unconfirmed_arrived=%d waiting_before_final_login=%d misrouted=%d logins=%d '
          'resumptions=%d attempts=%d live_p50_ms=%.1f live_p99_ms=%.1f'
          % (k, sending, k / sending, len(acked), len(lost), len(soak.received), live, len(soak.offline), twice, twice_same,
             len(unconfirmed), unconfirmed_arrived, pending_before_relogin, soak.misrouted, soak.logins,
             soak.resumptions, soak.attempts, pct(soak.latencies, 0.5), pct(soak.latencies, 0.99)), flush=True)
    with open(os.path.join(soak.args.dir, 'lost.txt'), 'w') as f:
        for x in lost:
            s, r, t = soak.sent[x]
            line = 'LOST soak %d from u%05d to u%05d (home node %d) sent at t=%.1fs' % (
                x, s + 1, r + 1, r % len(soak.ports) + 1, t - soak.start)
            f.write(line + '\n')
            if x in lost[:50]:
                print(line, flush=True)
    with open(os.path.join(soak.args.dir, 'twice.txt'), 'w') as f:
        for x, r in sorted(soak.receipts.items()):
            if len(r) > 1:
                s, to, t = soak.sent[x]
                f.write('TWICE soak %d from u%05d to u%05d sent at t=%.1fs: %s\n' % (
                    x, s + 1, to + 1, t - soak.start,
                    ', '.join('%s%s@attempt%d' % (i, ' delayed' if d else '', n) for i, d, n in r)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--ports', required=True)
    p.add_argument('--users', type=int, default=60)
    p.add_argument('--messages', type=int, default=100000)
    p.add_argument('--rate', type=float, default=250)
    p.add_argument('--login-rate', type=float, default=20)
    p.add_argument('--domain', default='bench.local')
    p.add_argument('--password', default='bench-secret')
    p.add_argument('--dir', required=True)
    p.add_argument('--drain', type=float, default=60, help='seconds to wait for accepted messages after the kills')
    p.add_argument('--settle', type=float, default=15, help='seconds for offline messages after the final login')
    p.add_argument('--until-chaos-done', type=int, default=0,
                   help='1: send until DIR/chaos-done exists and --tail seconds more (at most --messages)')
    p.add_argument('--tail', type=float, default=20, help='seconds of load after the last restart')
    p.add_argument('--exact', type=int, default=0, help='1: exit status 1 on a message received twice too')
    p.add_argument('--resume', type=int, default=1, help='1: resume XEP-0198 sessions (as real clients do); 0: log in afresh')
    a = p.parse_args()
    logging.basicConfig(level=logging.ERROR)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    sys.exit(loop.run_until_complete(run(Soak(a))))


if __name__ == '__main__':
    main()
