"""A real client in a room: slixmpp (Debian's python3-slixmpp) joins a room on Parley, makes it,
talks and leaves. Driven by SlixmppMucTest, which starts the server and plays the other occupant
with Smack. Prints JOINED once in the room and LEFT once out; exits non-zero on any failure.

usage: muc_client.py JID PASSWORD PORT ROOM NICK
"""
import asyncio
import ssl
import sys
import xml.etree.ElementTree as ET

import slixmpp


class Occupant(slixmpp.ClientXMPP):
    def __init__(self, jid, password, room, nick):
        super().__init__(jid, password)
        self.room, self.nick = room, nick
        self.register_plugin('xep_0045')
        self.ssl_context.check_hostname = False
        self.ssl_context.verify_mode = ssl.CERT_NONE  # the test server's self-signed certificate
        self.bodies = asyncio.Queue()
        self.add_event_handler('session_start', self.start)
        self.add_event_handler('groupchat_message', lambda m: self.bodies.put_nowait((str(m['mucnick']), m['body'])))
        self.failure = 'did not finish'

    async def expect(self, nick, body):
        while True:
            got = await asyncio.wait_for(self.bodies.get(), 20)
            if got == (nick, body):
                return

    async def start(self, _):
        try:
            self.send_presence()
            await self.get_roster()
            muc = self.plugin['xep_0045']
            await muc.join_muc_wait(self.room, self.nick, maxstanzas=0, timeout=20)
            # a new room is locked until its owner accepts a configuration: the instant one (XEP-0045 §10.1.2)
            iq = self.make_iq_set(ito=self.room)
            iq.append(ET.fromstring("<query xmlns='http://jabber.org/protocol/muc#owner'>"
                                    "<x xmlns='jabber:x:data' type='submit'/></query>"))
            await iq.send(timeout=20)
            print('JOINED', flush=True)
            await self.expect('Bob', 'hello from smack')
            self.send_message(mto=self.room, mbody='hello from slixmpp', mtype='groupchat')
            await self.expect(self.nick, 'hello from slixmpp')  # the room reflects our own message
            muc.leave_muc(self.room, self.nick)
            await asyncio.sleep(0.5)
            print('LEFT', flush=True)
            self.failure = None
        except Exception as e:  # noqa: BLE001 - any failure fails the check
            self.failure = repr(e)
        finally:
            self.disconnect()


def main():
    jid, password, port, room, nick = sys.argv[1:6]
    client = Occupant(jid, password, room, nick)
    client.connect(('127.0.0.1', int(port)))
    client.loop.run_until_complete(client.disconnected)
    if client.failure:
        print('FAILED ' + client.failure, flush=True)
        sys.exit(1)


if __name__ == '__main__':
    main()
