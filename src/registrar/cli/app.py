"""`registrar serve | migrate | demo | create-user`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from registrar import migrate as migrations
from registrar.auth import service as auth_service
from registrar.auth.models import Role
from registrar.config import ConfigurationError, get_settings
from registrar.db import Database, build_engine
from registrar.errors import RegistrarError
from registrar.institutions import repository as institutions

app = typer.Typer(
    help="Registrar: enrollment for universities and K-12 schools.", no_args_is_help=True
)
console = Console(stderr=True)


def _database() -> Database:
    try:
        settings = get_settings()
    except ConfigurationError as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error
    return Database(build_engine(settings.database_url))


@app.command()
def migrate(
    revision: Annotated[str, typer.Option(help="Target revision")] = "head",
) -> None:
    """Create or upgrade the database schema."""
    database = _database()
    migrations.upgrade(database, revision)
    console.print(f"Database at {database.engine.url.render_as_string()} is at {revision}.")
    database.dispose()


@app.command()
def demo(
    students: Annotated[int, typer.Option(min=0, help="University students to create")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data")] = 7,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when institutions already exist")
    ] = False,
) -> None:
    """Load the demo institutions, structure, students and history."""
    from registrar.demo import load_demo

    database = _database()
    with database.session(write=False) as session:
        populated = institutions.exists_any(session)
    if if_empty and populated:
        console.print("Demo data already present; nothing loaded.")
        database.dispose()
        return
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as progress:
        tasks: dict[str, TaskID] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(stage, total=total)
            progress.update(tasks[stage], completed=done, total=total)

        try:
            summary = load_demo(database, students=students, seed=seed, progress=report)
        except RegistrarError as error:
            console.print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from error
        finally:
            database.dispose()
    console.print(summary.describe())


@app.command("create-user")
def create_user(
    institution: Annotated[str, typer.Option(help="Institution tag, e.g. ap-university")],
    username: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option(case_sensitive=False)] = Role.REGISTRAR,
    full_name: Annotated[str, typer.Option()] = "",
    email: Annotated[str | None, typer.Option()] = None,
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Create a login in an institution."""
    database = _database()
    try:
        with database.session() as session:
            tenant = institutions.find_by_tag(session, institution)
            if tenant is None:
                console.print(f"[red]No institution tagged {institution!r}.[/red]")
                raise typer.Exit(1)
            user = auth_service.create_user(
                session,
                tenant.id,
                username=username,
                password=password,
                role=role,
                full_name=full_name,
                email=email,
            )
            console.print(f"Created {user.role.value} {user.username} in {tenant.tag}.")
    except RegistrarError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    finally:
        database.dispose()


@app.command()
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, envvar="WEB_CONCURRENCY", help="Worker processes")
    ] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development)")] = False,
) -> None:
    """Serve the API (OpenAPI docs at /docs, metrics at /metrics)."""
    import uvicorn

    from registrar import logs

    try:
        settings = get_settings()
    except ConfigurationError as error:
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error
    log_config = logs.dict_config(settings.logs_as(), settings.log_level)
    if workers > 1 and not reload:
        # Each worker on a socket of its own (SO_REUSEPORT), so the kernel spreads the
        # connections evenly; see serving.py.
        from registrar.serving import ServeOptions, supervise

        logs.configure(settings.logs_as(), settings.log_level)  # the supervisor's own lines
        supervise(ServeOptions(host, port, log_config=log_config), workers)
        return
    uvicorn.run(
        "registrar.main:create_app",
        factory=True,
        host=host,
        port=port,
        reload=reload,
        log_level="info",
        log_config=log_config,
        # The app writes its own line per request when ACCESS_LOG=true (kit.metrics.Observe).
        access_log=False,
        # No `server: uvicorn` banner: it tells a scanner which exploits to try.
        server_header=False,
    )


@app.command()
def worker(
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit (cron, tests)")
    ] = False,
    batch_size: Annotated[int, typer.Option(min=1, max=500, help="Rows claimed at a time")] = 10,
    poll_seconds: Annotated[
        float, typer.Option(min=0.05, help="Pause between passes over the queue")
    ] = 5.0,
) -> None:
    """Deliver queued notifications over SMTP (SMTP_HOST, SMTP_PORT, ...) and forget expired
    idempotency keys; stops on SIGTERM."""
    import signal
    import threading

    from registrar import logs
    from registrar.housekeeping import Housekeeping
    from registrar.notifications.worker import Worker

    database = _database()
    settings = get_settings()
    logs.configure(settings.logs_as(), settings.log_level)
    stop = threading.Event()
    try:
        delivery = Worker.from_settings(
            database,
            settings,
            batch_size=batch_size,
            stop=stop,
            chores=Housekeeping(database).run_if_due,
        )
    except ConfigurationError as error:
        database.dispose()
        console.print(f"[red]Configuration error:[/red] {error}")
        raise typer.Exit(2) from error

    def request_stop(_signum: int, _frame: object) -> None:
        # Finish the message in hand, give the rest of the batch back, then exit. (No logging
        # here: a handler that takes the logging lock can deadlock the thread it interrupted.)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        if once:
            report = delivery.run_once()
            console.print(
                f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}, "
                f"released {report.released}"
            )
        else:
            delivery.run_forever(poll_seconds)
    finally:
        database.dispose()


import_app = typer.Typer(
    help="Import students, courses or sections from CSV.", no_args_is_help=True
)
app.add_typer(import_app, name="import")


def _run_import(
    kind: str, file: Path, institution: str, dry_run: bool, password: str | None
) -> None:
    """Check (and unless --dry-run, write) one CSV file, with a progress bar; exit 1 on bad rows."""
    from registrar.auth.actor import SYSTEM
    from registrar.transfer import service as transfer

    database = _database()
    try:
        text = transfer.decode(file.read_bytes())
        with (
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
            ) as progress,
            database.session() as session,
        ):
            tasks: dict[str, TaskID] = {}

            def report(stage: str, done: int, total: int) -> None:
                if stage not in tasks:
                    tasks[stage] = progress.add_task(stage, total=total)
                progress.update(tasks[stage], completed=done, total=total)

            tenant = institutions.find_by_tag(session, institution)
            if tenant is None:
                raise RegistrarError(f"No institution tagged {institution!r}.")
            result = transfer.run_import(
                session,
                transfer.Kind(kind),
                tenant,
                SYSTEM,
                text,
                dry_run=dry_run,
                default_password=password,
                progress=report,
            )
    except RegistrarError as error:
        console.print(f"[red]{error.message}[/red]")
        for problem in error.details.get("errors", []):
            console.print(_problem_line(problem), markup=False, highlight=False)
        raise typer.Exit(1) from error
    finally:
        database.dispose()
    for problem in result.errors:
        console.print(_problem_line(problem.model_dump()), markup=False, highlight=False)
    counts = ", ".join(f"{n} {what}" for what, n in result.created.items()) or "nothing"
    if dry_run:
        verdict = (
            f"all rows valid; would write {counts}"
            if result.ok
            else f"{result.error_count} problem(s), listed above"
        )
        console.print(f"Dry run of {result.rows} rows: {verdict}. Nothing written.")
        if not result.ok:
            raise typer.Exit(1)
        return
    enrolled = ", ".join(f"{n} {what}" for what, n in result.auto_enrollment.items())
    console.print(f"Imported {counts}." + (f" Auto-enrollment: {enrolled}." if enrolled else ""))


def _problem_line(problem: dict[str, object]) -> str:
    column = f" [{problem['column']}]" if problem.get("column") else ""
    value = f" {problem['value']!r}:" if problem.get("value") is not None else ""
    return f"line {problem['line']}{column}:{value} {problem['reason']}"


FileArg = Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)]
TagOpt = Annotated[str, typer.Option("--institution", help="Institution tag, e.g. ap-university")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Check every row and write nothing")]


@import_app.command("students")
def import_students(
    file: FileArg,
    institution: TagOpt,
    dry_run: DryRunOpt = False,
    default_password: Annotated[
        str | None,
        typer.Option(
            envvar="REGISTRAR_IMPORT_PASSWORD",
            help="Password of a STUDENT login for rows without a password cell",
        ),
    ] = None,
) -> None:
    """Import students (and their logins) from CSV: all rows or none."""
    _run_import("students", file, institution, dry_run, default_password)


@import_app.command("courses")
def import_courses(file: FileArg, institution: TagOpt, dry_run: DryRunOpt = False) -> None:
    """Import catalog courses with their prerequisites from CSV: all rows or none."""
    _run_import("courses", file, institution, dry_run, None)


@import_app.command("sections")
def import_sections(file: FileArg, institution: TagOpt, dry_run: DryRunOpt = False) -> None:
    """Import course sections with their timetables from CSV: all rows or none."""
    _run_import("sections", file, institution, dry_run, None)


def main() -> None:
    """Entry point of the `registrar` script."""
    app()
