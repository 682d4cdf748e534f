"""An SMTP sink for the lab: every message Alertmanager sends is written to a file.

Usage: python3 smtp-sink.py <address> <port> <directory>
"""

import asyncio
import pathlib
import sys
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory: pathlib.Path) -> None:
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.count += 1
        name = f"{time.time():.3f}-{self.count}.eml"
        (self.directory / name).write_bytes(envelope.content)
        return "250 Message accepted"


def main() -> None:
    address, port, directory = sys.argv[1], int(sys.argv[2]), pathlib.Path(sys.argv[3])
    directory.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(directory), hostname=address, port=port)
    controller.start()
    print(f"SMTP sink on {address}:{port}, mail in {directory}", flush=True)
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
