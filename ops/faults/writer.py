"""A load generator that prints each acknowledged write: the victim of kill -9 runs.

    python -m ops.faults.writer STORE_URL BODY DATE START COUNT [THREADS]

Records items START.. START+COUNT-1 on the meeting (body, date), from THREADS
concurrent clerks through the group committer, and prints ``ack <number>
<position>`` on stdout, flushed, only after the command returned — i.e. after
its transaction committed.  Whatever is printed must survive a kill -9.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
import threading

from domain.errors import DomainError
from service import commands as c
from service.app.writer import GroupCommitter
from service.runtime import open_app

_print_lock = threading.Lock()


def main(argv: list[str]) -> int:
    url, body, date_text, start, count = argv[:5]
    threads = int(argv[5]) if len(argv) > 5 else 4
    date = dt.date.fromisoformat(date_text)
    app = open_app(url)
    with contextlib.suppress(DomainError):  # already there from an earlier run
        app.register_body(c.RegisterBody(name=body))
    with contextlib.suppress(DomainError):
        app.schedule_meeting(c.ScheduleMeeting(body=body, date=date))
    app.writer = GroupCommitter(app).start()
    numbers = list(range(int(start), int(start) + int(count)))

    def clerk(k: int) -> None:
        for n in numbers[k::threads]:
            result = app.minute_item(
                c.MinuteItem(body=body, date=date, number=str(n), title=f"Item {n}")
            )
            with _print_lock:
                sys.stdout.write(f"ack {n} {result.position}\n")
                sys.stdout.flush()

    workers = [threading.Thread(target=clerk, args=(k,), daemon=True) for k in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
