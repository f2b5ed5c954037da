"""`registrar worker` as an operator runs it: a real process, configured by the environment."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from registrar.db import Database
from registrar.notifications.models import NotificationStatus
from tests import factories
from tests.notifications.conftest import SENDER, SmtpServer, queue, row

REGISTRAR = str(Path(sys.executable).with_name("registrar"))


def _environment(database: Database, smtp_server: SmtpServer) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SMTP_", "NOTIFY_", "DATABASE_", "REGISTRAR_"))
    }
    env.update(
        DATABASE_URL=database.engine.url.render_as_string(hide_password=False),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_server.port),
        SMTP_FROM=SENDER,
        REGISTRAR_ENV="test",
    )
    return env


def test_worker_once_delivers_pending_rows(
    database: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    ids = queue(database, inst, 3)

    done = subprocess.run(
        [REGISTRAR, "worker", "--once", "--batch-size", "2"],
        env=_environment(database, smtp_server),
        cwd=tmp_path,  # no stray .env
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "sent 3" in done.stderr
    assert sorted(smtp_server.inbox.count_by_id().items()) == sorted((str(i), 1) for i in ids)
    assert all(row(database, i).status is NotificationStatus.SENT for i in ids)
    assert all(m.mail_from == SENDER for m in smtp_server.inbox.messages)


def test_worker_keeps_polling_and_stops_cleanly_on_sigterm(
    database: Database, smtp_server: SmtpServer, tmp_path: Path
) -> None:
    with database.session() as session:
        inst = factories.institution(session)
    process = subprocess.Popen(
        [REGISTRAR, "worker", "--poll-seconds", "0.2"],
        env=_environment(database, smtp_server),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Queued after the worker started: it is found by a later pass, not the first one.
        time.sleep(0.5)
        [notification_id] = queue(database, inst)
        deadline = time.monotonic() + 30
        while not smtp_server.inbox.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [m.notification_id for m in smtp_server.inbox.messages] == [str(notification_id)]

        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert process.returncode == 0, stderr
    assert "notification worker stopped" in stderr
    assert row(database, notification_id).status is NotificationStatus.SENT
