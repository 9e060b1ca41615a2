#!/usr/bin/python3
"""A real SMTP server on loopback for the reminder-delivery tests (aiosmtpd from Debian's
python3-aiosmtpd). Usage: smtp_sink.py PORT_FILE MESSAGES_FILE. Binds a free port and writes it
to PORT_FILE once listening; appends each message received as one JSON line
{"from", "to", "subject", "body", "delivery"}, decoded by Python's own email package."""
import email
import email.header
import email.policy
import json
import signal
import socket
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(message["subject"]),
            "body": message.get_content(),
            "delivery": str(message.get("X-Dangan-Delivery", "")),
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 OK"


def main():
    port_file, messages = sys.argv[1], sys.argv[2]
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    controller = Controller(Sink(messages), hostname="127.0.0.1", port=port)
    controller.start()
    with open(port_file + ".tmp", "w") as out:
        out.write(str(port))
    import os
    os.rename(port_file + ".tmp", port_file)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
